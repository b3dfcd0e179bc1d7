import base64
import io

from PIL import Image, ImageDraw

from tests.support import personas


def png_data_url(size=(300, 100), ink=True, fmt="PNG") -> str:
    """A small drawing, as the signature pad sends it."""
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    if ink:
        ImageDraw.Draw(image).line(
            [(10, 80), (80, 20), (150, 70), (280, 30)], fill="black", width=3
        )
    buffer = io.BytesIO()
    image.convert("RGB" if fmt != "PNG" else "RGBA").save(buffer, fmt)
    mime = "png" if fmt == "PNG" else fmt.lower()
    return f"data:image/{mime};base64," + base64.b64encode(buffer.getvalue()).decode()


def sign(user, patient, protocol="face-mesolift", classes=("ha-skin-booster",), **extra):
    from mesoclinic.consent.actions import sign_consent
    from mesoclinic.consent.versions import current_template

    return sign_consent(
        personas.actor(user),
        patient,
        template=current_template(protocol),
        product_classes=list(classes),
        signer_name=patient.full_name,
        signature=extra.pop("signature", png_data_url()),
        **extra,
    )


def use_knowledge(monkeypatch, edited_knowledge, edit):
    """Make `edit` of the packaged knowledge the knowledge in force."""
    import mesoclinic.engine.knowledge as knowledge

    edited = edited_knowledge(edit)
    monkeypatch.setattr(knowledge, "_default", lambda: edited)
    return edited
