"""The audit log, notifications and issued documents moved from emulation_portal to core.

Their tables keep their names: this migration only tells Django's state where the models live.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("emulation_portal", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="thời điểm")),
                        ("message", models.CharField(max_length=500, verbose_name="nội dung")),
                        ("url", models.CharField(blank=True, max_length=300, verbose_name="liên kết")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="đã đọc lúc")),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="người nhận",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "emulation_portal_notification",
                        "verbose_name": "thông báo",
                        "verbose_name_plural": "thông báo",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "created_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="thời điểm"),
                        ),
                        ("actor_name", models.CharField(blank=True, max_length=150, verbose_name="tên người thực hiện")),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="địa chỉ IP")),
                        ("action", models.CharField(db_index=True, max_length=80, verbose_name="hành động")),
                        ("object_type", models.CharField(max_length=80, verbose_name="loại đối tượng")),
                        ("object_id", models.CharField(max_length=40, verbose_name="mã đối tượng")),
                        ("object_repr", models.CharField(max_length=300, verbose_name="đối tượng")),
                        ("data", models.JSONField(blank=True, default=dict, verbose_name="chi tiết")),
                        ("prev_hash", models.CharField(max_length=64, verbose_name="mã băm trước")),
                        ("entry_hash", models.CharField(max_length=64, unique=True, verbose_name="mã băm")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="người thực hiện",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "emulation_portal_auditentry",
                        "verbose_name": "nhật ký",
                        "verbose_name_plural": "nhật ký",
                        "ordering": ["-id"],
                        "indexes": [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="IssuedDocument",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.CharField(max_length=20, unique=True, verbose_name="mã văn bản")),
                        ("kind", models.CharField(max_length=30, verbose_name="loại")),
                        ("title", models.CharField(max_length=300, verbose_name="tiêu đề")),
                        ("source_id", models.PositiveBigIntegerField()),
                        ("content_hash", models.CharField(blank=True, max_length=64, verbose_name="mã băm nội dung đã ký")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Đang chờ"),
                                    ("running", "Đang tạo"),
                                    ("done", "Hoàn tất"),
                                    ("failed", "Lỗi"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="trạng thái",
                            ),
                        ),
                        ("error", models.TextField(blank=True, verbose_name="lỗi")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="số lần tạo")),
                        ("file", models.FileField(blank=True, upload_to="documents/%Y/", verbose_name="tệp PDF")),
                        ("sha256", models.CharField(blank=True, max_length=64, verbose_name="SHA-256 của tệp")),
                        ("summary", models.JSONField(blank=True, default=dict, verbose_name="tóm tắt")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc")),
                        ("rendered_at", models.DateTimeField(blank=True, null=True, verbose_name="hoàn tất lúc")),
                        (
                            "source_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "emulation_portal_issueddocument",
                        "verbose_name": "văn bản phát hành",
                        "verbose_name_plural": "văn bản phát hành",
                        "ordering": ["-created_at"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("source_type", "source_id", "kind"), name="document_one_per_source_kind"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
