import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.models import AppendOnly, AppendOnlyModel  # noqa: F401 (AppendOnly re-exported)

QUANTITY = {"max_digits": 12, "decimal_places": 3}


class Vehicle(models.TextChoices):
    AQUEOUS = "aqueous", _("Aqueous solution")
    GEL = "gel", _("Gel")
    OIL = "oil", _("Oil-based")
    ALCOHOL = "alcohol", _("Alcohol-based")
    CREAM = "cream", _("Cream")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    ML = "mL", _("mL")
    G = "g", _("g")
    VIAL = "vial", _("vial")
    AMPOULE = "ampoule", _("ampoule")
    TUBE = "tube", _("tube")
    KIT = "kit", _("kit")


class Product(models.Model):
    """A product the clinic stocks. Its class is a knowledge product-class id; its
    ingredients and vehicle are what screening checks (allergies, ingredient rules)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="products")
    name = models.CharField(_("name"), max_length=200)
    maker = models.CharField(_("maker"), max_length=200, blank=True)
    product_class = models.CharField(_("product class"), max_length=40)
    ingredients = models.JSONField(_("ingredients"), default=list)  # [str], as on the label
    vehicle = models.CharField(_("vehicle"), max_length=20, choices=Vehicle.choices)
    # minutes after application when a patch test of this product is read; None = this
    # product needs no patch test
    patch_test_reading_minutes = models.PositiveIntegerField(
        _("patch test read after (minutes)"), null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.ML)
    multi_dose = models.BooleanField(_("multi-dose vial"), default=False)
    discard_after_opening_hours = models.PositiveIntegerField(
        _("discard after opening (hours)"), null=True, blank=True
    )
    low_stock_threshold = models.DecimalField(_("low-stock threshold"), default=0, **QUANTITY)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "maker", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "name", "maker"], name="product_name_maker_unique"
            ),
            models.CheckConstraint(
                condition=Q(multi_dose=False, discard_after_opening_hours__isnull=True)
                | Q(multi_dose=True, discard_after_opening_hours__gt=0),
                name="product_discard_hours_iff_multi_dose",
            ),
            models.CheckConstraint(
                condition=Q(low_stock_threshold__gte=0), name="product_threshold_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.maker})" if self.maker else self.name

    def as_engine_product(self) -> dict:
        """The product as the screening engine takes it: {name, ingredients, vehicle}."""
        return {"name": self.name, "ingredients": list(self.ingredients), "vehicle": self.vehicle}


class Lot(models.Model):
    """One lot number of a product as received. For a multi-dose product, `opened_at` and
    `discard_by` belong to the vial of this lot currently in use (at most one at a time)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="lots")
    lot_number = models.CharField(_("lot number"), max_length=64)
    expiry = models.DateField(_("expiry date"))  # usable through this day, clinic time
    quantity_received = models.DecimalField(_("quantity received"), **QUANTITY)
    # kept equal to the sum of the lot's stock moves, under a row lock
    quantity_remaining = models.DecimalField(_("quantity remaining"), **QUANTITY)
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    discard_by = models.DateTimeField(_("discard by"), null=True, blank=True)
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)  # all of it
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    recall_reason = models.TextField(_("reason for the recall"), blank=True)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["expiry", "lot_number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "lot_number"], name="lot_number_unique"),
            models.CheckConstraint(
                condition=Q(quantity_remaining__gte=0), name="lot_remaining_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(quantity_received__gt=0), name="lot_received_positive"
            ),
        ]
        indexes = [models.Index(fields=["product", "expiry"])]

    def __str__(self) -> str:
        return f"{self.product.name} lot {self.lot_number}"


class MoveKind(models.TextChoices):
    RECEIVE = "receive", _("Received")
    USE = "use", _("Used")
    RETURN = "return", _("Returned")
    ADJUST = "adjust", _("Adjusted")
    DISCARD = "discard", _("Discarded")


class StockMove(AppendOnlyModel):
    """One change of a lot's quantity. Never changed or deleted: a mistake is corrected by
    another move. The ORM refuses, and database triggers refuse updates (and deletes on
    PostgreSQL)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(_("kind"), max_length=10, choices=MoveKind.choices)
    delta = models.DecimalField(_("change"), **QUANTITY)  # negative when stock leaves
    reference = models.CharField(_("reference"), max_length=100, blank=True, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(delta=0), name="move_delta_not_zero")]

    def __str__(self) -> str:
        return f"{self.kind} {self.delta} of lot {self.lot_id}"
