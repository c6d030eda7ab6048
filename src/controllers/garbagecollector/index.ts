export { garbageCollectorController, GarbageCollector, GC_RESOURCES, type GarbageCollectorOptions } from './controller.js';
export { ResourceMapper } from './resource-mapper.js';
