"""Prices, packages, invoices and payments. Money is integer minor units of the clinic's
currency (see lib/money.py). Invoices, their lines and payments are append-only: the ORM
refuses changes and database triggers refuse them too (migration 0002); a mistake on an
issued invoice is corrected by a credit note, a payment by a refund."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.models import AppendOnlyModel

QTY = {"max_digits": 9, "decimal_places": 3}
RATE = {"max_digits": 5, "decimal_places": 2}


class BillingSettings(models.Model):
    clinic = models.OneToOneField(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="billing"
    )
    currency = models.CharField(_("currency"), max_length=3, default="TRY")
    minor_digits = models.PositiveSmallIntegerField(default=2)
    prices_include_vat = models.BooleanField(_("prices include VAT"), default=True)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    tax_number = models.CharField(_("tax number"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)

    def __str__(self) -> str:
        return f"billing of {self.clinic_id}"


class VatRate(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    percent = models.DecimalField(_("rate (%)"), **RATE)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["percent", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.percent}%"


class PriceKind(models.TextChoices):
    SESSION = "session", _("Per session")
    PER_ML = "per_ml", _("Per mL of a product")
    PER_PRODUCT = "per_product", _("Per product used in a session")


class PriceItem(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    protocol = models.CharField(_("protocol"), max_length=40)
    kind = models.CharField(_("charged"), max_length=12, choices=PriceKind.choices)
    product = models.ForeignKey(
        "products.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.BigIntegerField(_("price"))  # minor units
    vat_rate = models.ForeignKey(VatRate, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["protocol", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="price_not_negative"),
            models.UniqueConstraint(
                fields=["clinic", "protocol", "kind", "product"],
                condition=models.Q(active=True),
                name="price_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.protocol} {self.kind} {self.amount}"


class PackageOffer(models.Model):
    """A series sold at a package price, e.g. 6 face-mesolift sessions."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    protocol = models.CharField(_("protocol"), max_length=40)
    sessions = models.PositiveSmallIntegerField(_("sessions"))
    amount = models.BigIntegerField(_("package price"))
    vat_rate = models.ForeignKey(VatRate, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["protocol", "sessions", "id"]

    def __str__(self) -> str:
        return self.name


class PackageSale(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        "treatments.TreatmentPlan", on_delete=models.PROTECT, related_name="packages"
    )
    offer = models.ForeignKey(PackageOffer, null=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    sessions_included = models.PositiveSmallIntegerField()
    cancelled_at = models.DateTimeField(null=True, blank=True)  # by a credit note
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    sold_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sold_at", "-id"]

    def __str__(self) -> str:
        return self.name


class PackageUse(models.Model):
    """One signed session counted against a package. Removed again (audited) when an
    amendment leaves the session with nothing done."""

    sale = models.ForeignKey(PackageSale, on_delete=models.PROTECT, related_name="uses")
    session = models.OneToOneField(
        "treatments.TreatmentSession", on_delete=models.PROTECT, related_name="package_use"
    )
    counted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.session_id} on {self.sale_id}"


class Counter(models.Model):
    """The last number issued in one series of one clinic. Locked FOR UPDATE by the
    transaction that issues the next number, so numbers have no gaps and no repeats."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=8)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "series"], name="counter_unique")]

    def __str__(self) -> str:
        return f"{self.series} {self.last}"


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class Invoice(AppendOnlyModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=InvoiceKind.choices)
    series = models.CharField(max_length=8)
    number = models.PositiveIntegerField()
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    buyer_name = models.CharField(max_length=220)
    seller = models.JSONField(default=dict)  # name, legal name, tax number, address as issued
    session = models.ForeignKey(
        "treatments.TreatmentSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    package_sale = models.ForeignKey(
        PackageSale, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    session_revision = models.PositiveIntegerField(null=True, blank=True)  # as invoiced
    credits = models.ForeignKey(  # a credit note: the invoice it corrects (whole or part)
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    reason = models.CharField(max_length=300, blank=True)  # a credit note's
    currency = models.CharField(max_length=3)
    minor_digits = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=10)
    net = models.BigIntegerField()  # negative on a credit note
    vat = models.BigIntegerField()
    gross = models.BigIntegerField()
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "series", "number"], name="invoice_number_unique"
            )
        ]
        indexes = [models.Index(fields=["clinic", "issued_at"])]

    def __str__(self) -> str:
        return self.number_text

    @property
    def number_text(self) -> str:
        return f"{self.series}-{self.number:06d}"

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE


class InvoiceLine(AppendOnlyModel):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(**QTY)
    unit = models.CharField(max_length=10, blank=True)
    unit_price = models.BigIntegerField()
    discount = models.BigIntegerField(default=0)
    discount_reason = models.CharField(max_length=200, blank=True)
    vat_percent = models.DecimalField(**RATE)
    net = models.BigIntegerField()
    vat = models.BigIntegerField()
    gross = models.BigIntegerField()
    credits_line = models.ForeignKey(  # a credit note's line: the invoice line it corrects
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credited_by"
    )

    class Meta:
        ordering = ["invoice", "position"]

    def __str__(self) -> str:
        return self.description


class Method(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    TRANSFER = "transfer", _("Bank transfer")


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    DEPOSIT = "deposit", _("Deposit")
    REFUND = "refund", _("Refund")


class Payment(AppendOnlyModel):
    """Money in (a payment or a deposit at booking) or out (a refund), as a positive amount."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=PaymentKind.choices)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(max_length=3)
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refund_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    practitioner = models.ForeignKey(  # whose work it pays for (the daily close's column)
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["-taken_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")
        ]
        indexes = [models.Index(fields=["clinic", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency}"

    @property
    def signed_amount(self) -> int:
        return -self.amount if self.kind == PaymentKind.REFUND else self.amount
