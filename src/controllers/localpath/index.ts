export { localPathController, pvNameFor, volumeDirFor, DEFAULT_LOCAL_PATH_STORAGE_DIR } from './controller.js';
export { localPathStorageClass, LOCAL_PATH_CLASS, LOCAL_PATH_PROVISIONER } from './storage-class.js';
