"""The low-risk answer to every intake question: the demo's patients start from it (and the
tests' personas share it, so both describe the same healthy patient)."""

HEALTHY_ANSWERS = {
    "pregnant": False,
    "breastfeeding": False,
    "diabetes": "none",
    "cancer_treatment": False,
    "anticoagulants": False,
    "bleeding_disorder": False,
    "last_aspirin_or_nsaid": None,
    "allergies": [],
    "active_skin_infection": False,
    "active_herpes": False,
    "acute_illness": False,
    "kidney_disease": False,
    "pathological_edema": False,
    "autoimmune_disease": False,
    "keloid_tendency": False,
    "implanted_electronic_device": False,
    "implanted_devices": [],
    "isotretinoin_last_dose": None,
    "last_filler_or_other_injectable": None,
    "planned_sun_exposure": None,
}
