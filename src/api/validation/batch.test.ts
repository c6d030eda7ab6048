import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, container, meta } from './testdata.js';
import { CronParseError, parseCronSchedule } from './cron.js';

const jobTemplate = (restartPolicy?: string) => ({ spec: { containers: [container()], ...(restartPolicy ? { restartPolicy } : {}) } });
const job = (spec: Record<string, unknown>) => ({ metadata: { ...meta('pi'), uid: 'u-1' }, spec });

test('jobs', () => {
  assert.deepEqual(check('batch', 'Job', job({ template: jobTemplate('Never') })), []);
  assert.deepEqual(check('batch', 'Job', job({ template: jobTemplate() })), [
    'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
  ]);
  assert.deepEqual(check('batch', 'Job', job({ template: jobTemplate('Sometimes') })), [
    'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"',
  ]);
  assert.deepEqual(check('batch', 'Job', job({ completions: -1, parallelism: -2, template: jobTemplate('Never') })), [
    'spec.parallelism: Invalid value: -2: must be greater than or equal to 0',
    'spec.completions: Invalid value: -1: must be greater than or equal to 0',
  ]);
  assert.deepEqual(check('batch', 'Job', job({ completionMode: 'Indexed', parallelism: 2, template: jobTemplate('Never') })), [
    'spec.completions: Required value: when completion mode is Indexed',
  ]);
  // Without a uid no selector can be generated.
  assert.deepEqual(check('batch', 'Job', { metadata: meta('pi'), spec: { template: jobTemplate('Never') } }), ['spec.selector: Required value']);

  const old = job({ template: jobTemplate('Never') });
  const newImage = job({ template: { spec: { containers: [container({ image: 'busybox' })], restartPolicy: 'Never' } } });
  assert.deepEqual(check('batch', 'Job', newImage, old), ['spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable']);
  assert.deepEqual(check('batch', 'Job', job({ template: jobTemplate('Never'), activeDeadlineSeconds: 100 }), old), []);
});

test('cron schedules', () => {
  for (const ok of ['* * * * *', '*/5 0-23/2 1,15 jan-jun MON-FRI', '@hourly', '@every 1h30m', '0 0 ? * 0', 'TZ=UTC 0 0 * * *'])
    assert.doesNotThrow(() => parseCronSchedule(ok), ok);
  const bad: [string, string][] = [
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['CRON_TZ=Mars/Base * * * * *', 'provided bad location Mars/Base: unknown time zone Mars/Base'],
  ];
  for (const [spec, msg] of bad)
    assert.throws(() => parseCronSchedule(spec), (e: unknown) => e instanceof CronParseError && e.message === msg, spec);
});

test('cronjobs', () => {
  const cj = (spec: Record<string, unknown>, name = 'tick') => ({
    metadata: meta(name),
    spec: { jobTemplate: { spec: { template: jobTemplate('OnFailure') } }, ...spec },
  });
  assert.deepEqual(check('batch', 'CronJob', cj({ schedule: '*/5 * * * *' })), []);
  assert.deepEqual(check('batch', 'CronJob', cj({ schedule: '@daily', timeZone: 'Europe/Paris' })), []);
  assert.deepEqual(check('batch', 'CronJob', cj({})), ['spec.schedule: Required value']);
  assert.deepEqual(check('batch', 'CronJob', cj({ schedule: '61 * * * *' })), [
    'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
  ]);
  assert.deepEqual(check('batch', 'CronJob', cj({ schedule: 'CRON_TZ=UTC * * * * *' })), [
    'spec.schedule: Invalid value: "CRON_TZ=UTC * * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
  ]);
  assert.deepEqual(check('batch', 'CronJob', cj({ schedule: '@hourly', timeZone: 'Nowhere/City' })), [
    'spec.timeZone: Invalid value: "Nowhere/City": unknown time zone Nowhere/City',
  ]);
  assert.deepEqual(check('batch', 'CronJob', cj({ schedule: '@hourly' }, 'a'.repeat(53))), [
    `metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`,
  ]);
  assert.deepEqual(check('batch', 'CronJob', cj({ schedule: '@hourly', concurrencyPolicy: 'Sometimes' })), [
    'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
  ]);
});
