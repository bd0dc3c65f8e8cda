from django.core.management.base import BaseCommand

from topics.demo import topic_example_load


class Command(BaseCommand):
    help = "Create the example topic of the opinion map (is_example, never counted) unless it exists."

    def handle(self, *args, **options):
        topic = topic_example_load()
        if topic is None:
            self.stdout.write("The example topic already exists: nothing to do.")
        else:
            result = topic.result
            self.stdout.write(f"Example topic {topic.pk}: {result.participants} participants, {len(result.groups)} groups.")
