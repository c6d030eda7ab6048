import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CronParseError, nextActivation, parseCronSchedule } from './cron-schedule.js';
import { dueSchedule } from './schedule-times.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const next = (spec: string, after: string, tz?: string) => iso(nextActivation(parseCronSchedule(spec), at(after), tz));

describe('parseCronSchedule', () => {
  it('parses ranges, steps, lists and names', () => {
    const s = parseCronSchedule('*/15 9-17/4 1,15 jan-mar MON-fri');
    assert.deepEqual([...s.minutes], [0, 15, 30, 45]);
    assert.deepEqual([...s.hours], [9, 13, 17]);
    assert.deepEqual([...s.daysOfMonth], [1, 15]);
    assert.deepEqual([...s.months], [1, 2, 3]);
    assert.deepEqual([...s.daysOfWeek], [1, 2, 3, 4, 5]);
    assert.deepEqual([...parseCronSchedule('5/20 * * * *').minutes], [5, 25, 45]);
  });

  it('expands macros and reads a time zone prefix', () => {
    assert.deepEqual([...parseCronSchedule('@hourly').minutes], [0]);
    assert.equal(parseCronSchedule('@weekly').daysOfWeek.has(0), true);
    assert.equal(parseCronSchedule('CRON_TZ=Europe/Paris 0 9 * * *').timeZone, 'Europe/Paris');
    assert.equal(parseCronSchedule('TZ=Asia/Tokyo @daily').timeZone, 'Asia/Tokyo');
  });

  it('rejects malformed schedules', () => {
    for (const bad of ['* * * *', '60 * * * *', '* * * * 7', '*/0 * * * *', '5-1 * * * *', '@every 5m', 'x * * * *', 'TZ=Nowhere/City * * * * *'])
      assert.throws(() => parseCronSchedule(bad), CronParseError, bad);
  });
});

describe('nextActivation', () => {
  it('finds the next minute, hour, day and month', () => {
    assert.equal(next('*/1 * * * *', '2024-01-01T00:00:30Z'), '2024-01-01T00:01:00.000Z');
    assert.equal(next('30 2 * * *', '2024-01-01T03:00:00Z'), '2024-01-02T02:30:00.000Z');
    assert.equal(next('0 0 1 jun *', '2024-07-01T00:00:00Z'), '2025-06-01T00:00:00.000Z');
    assert.equal(next('0 0 29 2 *', '2024-03-01T00:00:00Z'), '2028-02-29T00:00:00.000Z');
    assert.equal(next('0 0 30 2 *', '2024-01-01T00:00:00Z'), undefined);
  });

  it('ORs day of month and day of week when both are restricted', () => {
    // 2024-01-02 is a Tuesday; the 5th is a Friday.
    assert.equal(next('0 0 5 * tue', '2024-01-01T12:00:00Z'), '2024-01-02T00:00:00.000Z');
    assert.equal(next('0 0 5 * *', '2024-01-01T12:00:00Z'), '2024-01-05T00:00:00.000Z');
    assert.equal(next('0 0 * * fri', '2024-01-01T12:00:00Z'), '2024-01-05T00:00:00.000Z');
  });

  it('works in a time zone, across daylight saving changes', () => {
    assert.equal(next('0 9 * * *', '2024-01-01T00:00:00Z', 'Asia/Kolkata'), '2024-01-01T03:30:00.000Z');
    // New York: 09:00 EST (UTC-5) in March before the change, EDT (UTC-4) after 2024-03-10.
    assert.equal(next('0 9 * * *', '2024-03-09T15:00:00Z', 'America/New_York'), '2024-03-10T13:00:00.000Z');
    assert.equal(next('0 9 * * *', '2024-03-08T15:00:00Z', 'America/New_York'), '2024-03-09T14:00:00.000Z');
  });
});

describe('dueSchedule', () => {
  const every = parseCronSchedule('* * * * *');
  it('returns the latest missed activation and the count', () => {
    const d = dueSchedule(every, 'UTC', at('2024-01-01T00:00:00Z'), at('2024-01-01T00:05:30Z'));
    assert.deepEqual([iso(d.scheduledMs), d.missed, d.tooMany], ['2024-01-01T00:05:00.000Z', 5, false]);
    assert.equal(dueSchedule(every, 'UTC', at('2024-01-01T00:05:00Z'), at('2024-01-01T00:05:30Z')).scheduledMs, undefined);
  });

  it('flags more than 100 missed times and still finds the latest', () => {
    const d = dueSchedule(every, 'UTC', at('2024-01-01T00:00:00Z'), at('2024-03-01T10:20:30Z'));
    assert.equal(d.tooMany, true);
    assert.equal(iso(d.scheduledMs), '2024-03-01T10:20:00.000Z');
  });

  it('startingDeadlineSeconds limits how far back it looks', () => {
    const d = dueSchedule(every, 'UTC', at('2024-01-01T00:00:00Z'), at('2024-03-01T10:20:30Z'), 200);
    assert.deepEqual([d.missed, d.tooMany, iso(d.scheduledMs)], [3, false, '2024-03-01T10:20:00.000Z']);
  });
});
