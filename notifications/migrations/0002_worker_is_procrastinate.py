"""The worker and its scheduler became procrastinate's: its workers table has the heartbeats and
its periodic tasks the daily runs. Messages still pending get their delivery job."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
        ("procrastinate", "0041_post_retry_failed_job"),
    ]

    operations = [
        migrations.DeleteModel(name="ScheduledRun"),
        migrations.DeleteModel(name="WorkerHeartbeat"),
        migrations.RunSQL(
            """
            INSERT INTO procrastinate_jobs (queue_name, task_name, priority, args, scheduled_at)
            SELECT 'outbox', 'notifications.deliver_message', 0, jsonb_build_object('message_id', id), next_attempt_at
            FROM notifications_outboundmessage WHERE status = 'pending' ORDER BY id
            """,
            # Back to the old worker, which finds pending messages itself: their jobs go.
            "DELETE FROM procrastinate_jobs WHERE task_name = 'notifications.deliver_message' AND status = 'todo'",
        ),
    ]
