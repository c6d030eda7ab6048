import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMountPoint, mountFsType, mountsUnder } from './mountinfo.js';

// Three mounts: the root, a stacked pair at /data/state (the top one counts),
// and a path with a space, which mountinfo escapes as \040.
const MOUNTINFO = [
  '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
  '40 22 0:50 / /data/state rw,relatime shared:20 - ext4 /dev/vdb rw',
  '41 40 0:51 / /data/state rw,relatime shared:21 - tmpfs tmpfs rw,mode=711',
  '42 22 0:52 / /data/my\\040pods/vol rw,relatime shared:22 - tmpfs tmpfs rw',
  '',
].join('\n');

test('mount table: the type at a path (topmost mount), escaped paths, mount points under a dir', () => {
  assert.equal(mountFsType('/data/state', MOUNTINFO), 'tmpfs');
  assert.equal(mountFsType('/data/state/', MOUNTINFO), 'tmpfs', 'a trailing slash names the same dir');
  assert.equal(mountFsType('/data/my pods/vol', MOUNTINFO), 'tmpfs');
  assert.equal(mountFsType('/data', MOUNTINFO), undefined, 'not a mount point');
  assert.equal(isMountPoint('/data/my pods/vol', MOUNTINFO), true);
  assert.equal(isMountPoint('/data/my pods', MOUNTINFO), false);
  assert.deepEqual(mountsUnder('/data', MOUNTINFO).sort(), ['/data/my pods/vol', '/data/state', '/data/state']);
});
