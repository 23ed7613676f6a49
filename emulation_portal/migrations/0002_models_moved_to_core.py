"""The base models now live in core (same tables); see core/migrations/0001_initial.py."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("emulation_portal", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="AuditEntry"),
                migrations.DeleteModel(name="IssuedDocument"),
            ],
        ),
    ]
