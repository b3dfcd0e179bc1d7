# The front desk may take a first medical history by phone (accounts/roles.py): its source.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0002_append_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="intakeversion",
            name="source",
            field=models.CharField(
                choices=[
                    ("staff", "Entered by staff"),
                    ("portal", "Entered by the patient"),
                    ("phone", "Taken by phone"),
                ],
                default="staff",
                max_length=10,
            ),
        ),
    ]
