export { cronJobController } from './controller.js';
export { parseCronSchedule, nextActivation, CronParseError, type CronSchedule } from './cron-schedule.js';
export { dueSchedule, MAX_MISSED_SCHEDULES } from './schedule-times.js';
export { planCronJob, jobNameFor, type CronPlan } from './plan.js';
export { formatRFC3339InZone } from './job-template.js';
export * from './types.js';
