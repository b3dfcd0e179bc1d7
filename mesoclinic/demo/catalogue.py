"""The demo clinic's catalogue: its products, the lots in stock, and the lot recalled
later (used by clinical.py)."""

from decimal import Decimal

PRODUCTS = {
    "booster": {
        "name": "HydraBoost HA 1.8% with lidocaine",
        "maker": "Lumen Dermaceuticals",
        "product_class": "ha-skin-booster",
        "ingredients": ["sodium hyaluronate", "lidocaine hydrochloride"],
        "vehicle": "gel",
        "patch_test_reading_minutes": 30,
        "low_stock_threshold": Decimal("10"),
    },
    "cocktail": {
        "name": "Revita 55 vitamin and amino-acid complex",
        "maker": "Lumen Dermaceuticals",
        "product_class": "vitamin-cocktail",
        "ingredients": [
            "vitamin C",
            "vitamin B5",
            "glutathione",
            "glycine",
            "proline",
            "sodium hyaluronate",
        ],
        "vehicle": "aqueous",
        "low_stock_threshold": Decimal("10"),
    },
    "silicon": {
        "name": "Silorg organic silicon 0.5%",
        "maker": "Medisil",
        "product_class": "organic-silicon",
        "ingredients": ["monomethylsilanetriol"],
        "vehicle": "aqueous",
        "low_stock_threshold": Decimal("10"),
    },
    "cream": {
        "name": "Numbskin 5% anaesthetic cream",
        "maker": "Pharmadem",
        "product_class": "anaesthetic-cream",
        "ingredients": ["lidocaine", "prilocaine"],
        "vehicle": "cream",
        "unit": "g",
        "low_stock_threshold": Decimal("60"),
    },
    "hair": {
        "name": "Capilla hair cocktail",
        "maker": "Lumen Dermaceuticals",
        "product_class": "vitamin-cocktail",
        "ingredients": ["biotin", "dexpanthenol", "caffeine", "zinc gluconate"],
        "vehicle": "aqueous",
        "low_stock_threshold": Decimal("10"),
    },
}
PRODUCT_DEFAULTS = {
    "patch_test_reading_minutes": None,
    "unit": "mL",
    "multi_dose": False,
    "discard_after_opening_hours": None,
}
# product, lot number, expiry (days from today), quantity, received (days ago)
LOTS = [
    ("booster", "HB-2407", -20, "10", 330),  # expired, with stock left
    ("booster", "HB-2412", 9, "10", 200),  # expires within days: used first
    ("booster", "HB-2503", 320, "40", 30),
    ("cocktail", "RV-24117", 180, "30", 120),  # used today, then recalled by the maker
    ("cocktail", "RV-25009", 400, "50", 20),
    ("silicon", "SO-2311", 60, "2", 200),  # with SO-2502: 6 mL left, under the 10 mL threshold
    ("silicon", "SO-2502", 250, "4", 45),
    ("cream", "NS-0881", 200, "150", 90),
    ("cream", "NS-0902", 500, "150", 10),
    ("hair", "CH-2409", 150, "20", 100),
    ("hair", "CH-2502", 420, "30", 15),
]
RECALLED_LOT = "RV-24117"
RECALL_REASON = (
    "Maker's recall notice: sterility of this lot cannot be assured. "
    "Contact the patients who received it."
)
