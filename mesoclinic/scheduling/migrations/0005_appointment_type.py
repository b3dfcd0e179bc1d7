# Appointment types. Every appointment booked so far (a plan's session or a single booking
# for a protocol) is a treatment session: the default keeps their preparation messages.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0004_delete_message"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="appointment_type",
            field=models.CharField(
                choices=[
                    ("consultation", "Consultation"),
                    ("treatment", "Treatment session"),
                    ("review", "Review"),
                    ("top_up", "Top-up"),
                ],
                default="treatment",
                max_length=12,
                verbose_name="type",
            ),
        ),
    ]
