-- Deliveries still waiting move to the job queue (pg-boss) before their old table goes, with the
-- attempts they had made; the queue's own settings (retries, expiry, dead letter) apply to them.
INSERT INTO pgboss.job (name, data, retry_limit, retry_delay, retry_backoff, expire_in, keep_until, dead_letter, policy)
SELECT q.name,
       jsonb_build_object('messageId', j."messageId", 'attempts', j.attempts),
       q.retry_limit, q.retry_delay, q.retry_backoff,
       q.expire_seconds * interval '1 second',
       now() + q.retention_minutes * interval '1 minute',
       q.dead_letter, q.policy
FROM "DeliveryJob" j
JOIN pgboss.queue q ON q.name = 'delivery-' || j.channel
WHERE j.status IN ('queued', 'running');

-- DropForeignKey
ALTER TABLE "DeliveryJob" DROP CONSTRAINT "DeliveryJob_messageId_fkey";

-- DropTable
DROP TABLE "DeliveryJob";

-- DropEnum
DROP TYPE "JobStatus";
