import { storageContract } from './contract.js';
import { openMemoryStorage } from './memory.js';

storageContract('memory', { open: async () => openMemoryStorage() });
