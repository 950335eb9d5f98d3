import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from accounts.models import User
from tests import images
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("profile")
UPLOAD = reverse("profile-avatar")
NAME = re.compile(r"^avatars/[a-zA-Z0-9]+\.(jpg|png|webp)$")


def put_avatar(client, data, name="photo.jpg", content_type="image/jpeg"):
    return client.put(
        UPLOAD, {"avatar": images.upload(data, name, content_type)}, format="multipart"
    )


def stored(user) -> Image.Image:
    user.refresh_from_db()
    with user.avatar.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image


def is_red(pixel):
    return pixel[0] > 200 and pixel[2] < 60


def is_blue(pixel):
    return pixel[2] > 200 and pixel[0] < 60


def stored_files(media_root):
    folder = media_root / "avatars"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_upload_stores_a_small_renamed_image_and_returns_its_absolute_url(jwt_client, user):
    response = put_avatar(jwt_client, images.image_bytes((4000, 3000)), "Моё фото профиля.jpg")

    assert response.status_code == 200, response.data
    user.refresh_from_db()
    assert NAME.match(user.avatar.name)
    assert response.json()["avatar"] == f"http://testserver/media/{user.avatar.name}"
    assert stored(user).size == (200, 150)
    assert stored(user).format == "JPEG"


def test_the_avatar_url_serves_the_image(jwt_client, user, settings):
    put_avatar(jwt_client, images.image_bytes())
    user.refresh_from_db()

    assert (settings.MEDIA_ROOT / user.avatar.name).is_file()


@pytest.mark.parametrize(
    "name",
    ["фото.jpg", "../../etc/passwd.jpg", "no extension", "a b c.JPEG", "x" * 300 + ".jpg", ".jpg"],
)
def test_any_original_name_becomes_a_random_alphanumeric_name(jwt_client, user, name):
    response = put_avatar(jwt_client, images.image_bytes(), name)

    assert response.status_code == 200, response.data
    user.refresh_from_db()
    assert NAME.match(user.avatar.name)
    assert "etc" not in user.avatar.name


def test_names_are_random_not_derived_from_the_user_or_the_file(jwt_client, user):
    names = set()
    for _ in range(3):
        put_avatar(jwt_client, images.image_bytes(), "same.jpg")
        user.refresh_from_db()
        names.add(user.avatar.name)

    assert len(names) == 3
    for name in names:
        stem = name.split("/")[1].split(".")[0]
        assert len(stem) >= 32
        assert "same" not in stem


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((2000, 1500), (200, 150)),
        ((300, 600), (100, 200)),
        ((500, 500), (200, 200)),
        ((100, 80), (100, 80)),
        ((1000, 10), (200, 2)),
        ((20000, 10), (200, 1)),  # a side that would round to nothing keeps one pixel
        ((1000, 1), (200, 1)),
        ((10, 5000), (1, 200)),
    ],
)
def test_the_image_fits_200x200_keeping_its_aspect_ratio_and_is_never_enlarged(
    jwt_client, user, size, expected
):
    response = put_avatar(jwt_client, images.image_bytes(size, "PNG"), "photo.png", "image/png")

    assert response.status_code == 200, response.content
    assert stored(user).size == expected


def test_the_exif_orientation_is_applied_so_a_portrait_stays_upright(jwt_client, user):
    # Stored sideways (red left, blue right) with orientation 6: shown turned 90 degrees clockwise,
    # so red is at the top.
    data = images.two_halves((600, 200), exif=images.camera_exif(orientation=6))

    put_avatar(jwt_client, data)

    image = stored(user).convert("RGB")
    assert image.size == (67, 200)
    top = image.getpixel((33, 10))
    bottom = image.getpixel((33, 190))
    assert is_red(top)
    assert is_blue(bottom)


def test_the_orientation_of_a_png_is_applied_too(jwt_client, user):
    data = images.two_halves((600, 200), "PNG", exif=images.camera_exif(orientation=6))

    put_avatar(jwt_client, data, "sideways.png", "image/png")

    assert stored(user).size == (67, 200)


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "p.jpg"), ("PNG", "p.png"), ("WEBP", "p.webp")])
def test_gps_and_every_other_metadata_are_stripped(jwt_client, user, fmt, name):
    data = images.image_bytes((800, 600), fmt, exif=images.camera_exif())
    assert Image.open(io.BytesIO(data)).getexif()  # the upload does carry EXIF

    put_avatar(jwt_client, data, name, f"image/{fmt.lower()}")

    user.refresh_from_db()
    raw = user.avatar.open("rb").read()
    user.avatar.close()
    image = Image.open(io.BytesIO(raw))
    assert not image.getexif()
    assert "exif" not in image.info
    assert b"SpyPhone" not in raw
    assert b"Exif" not in raw


def test_png_transparency_is_kept(jwt_client, user):
    data = images.image_bytes((400, 400), "PNG", mode="RGBA", color=(0, 255, 0, 0))

    put_avatar(jwt_client, data, "clear.png", "image/png")

    image = stored(user)
    assert image.format == "PNG"
    assert image.mode == "RGBA"
    assert image.getpixel((10, 10))[3] == 0
    assert user.avatar.name.endswith(".png")


def test_webp_is_stored_as_webp(jwt_client, user):
    put_avatar(jwt_client, images.image_bytes((800, 400), "WEBP"), "a.webp", "image/webp")

    image = stored(user)
    assert image.format == "WEBP"
    assert image.size == (200, 100)
    assert user.avatar.name.endswith(".webp")


def test_an_animated_gif_is_stored_as_its_first_frame_in_png(jwt_client, user):
    put_avatar(jwt_client, images.animation("GIF"), "moving.gif", "image/gif")

    image = stored(user)
    assert image.format == "PNG"
    assert getattr(image, "n_frames", 1) == 1
    assert image.convert("RGB").getpixel((5, 5))[0] > 200  # red, the first frame
    assert user.avatar.name.endswith(".png")


def test_an_animated_webp_is_stored_as_its_first_frame(jwt_client, user):
    put_avatar(jwt_client, images.animation("WEBP"), "moving.webp", "image/webp")

    image = stored(user)
    assert image.format == "WEBP"
    assert getattr(image, "n_frames", 1) == 1
    assert image.convert("RGB").getpixel((5, 5))[0] > 200


def test_the_extension_follows_the_real_format_not_the_name(jwt_client, user):
    put_avatar(jwt_client, images.image_bytes(fmt="PNG"), "lies.jpg")

    user.refresh_from_db()
    assert user.avatar.name.endswith(".png")
    assert stored(user).format == "PNG"


def truncated_jpeg():
    data = images.image_bytes((800, 600))
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"just some text, not an image", "text.jpg"),
        (truncated_jpeg(), "cut.jpg"),
        (
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
            "a.pdf",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(1)</script></svg>",
            "x.svg",
        ),
        (images.image_bytes(fmt="BMP"), "old.bmp"),
        (images.image_bytes(fmt="TIFF"), "scan.tiff"),
        (b"", "empty.jpg"),
    ],
)
def test_what_is_not_an_accepted_image_is_refused_and_nothing_is_stored(
    jwt_client, user, media_root, data, name
):
    response = put_avatar(jwt_client, data, name)

    assert response.status_code == 400
    assert response.json()["avatar"]
    user.refresh_from_db()
    assert not user.avatar
    assert stored_files(media_root) == []


def test_a_decompression_bomb_is_refused_before_it_is_decoded(jwt_client, user, media_root):
    response = put_avatar(jwt_client, images.png_declaring(20000, 20000), "bomb.png", "image/png")

    assert response.status_code == 400
    assert "megapixels" in response.json()["avatar"][0]
    assert stored_files(media_root) == []


def test_an_image_above_the_pixel_limit_is_refused_with_its_size(jwt_client, user):
    response = put_avatar(jwt_client, images.png_declaring(7000, 7000), "big.png", "image/png")

    assert response.status_code == 400
    assert response.json()["avatar"] == [
        "The image is too large: 7000x7000 pixels; at most 5 megapixels are accepted "
        "(a baseline JPEG may have 40)."
    ]


def test_a_small_png_of_many_pixels_is_refused_before_it_costs_seconds_to_decode(jwt_client, user):
    # 6300x6300 of one colour: about 130 kB, but 40 megapixels to inflate and resize.
    data = images.image_bytes((6300, 6300), "PNG", optimize=True)
    assert len(data) < 200_000

    response = put_avatar(jwt_client, data, "flat.png", "image/png")

    assert response.status_code == 400
    assert response.json()["avatar"] == [
        "The image is too large: 6300x6300 pixels; at most 5 megapixels are accepted "
        "(a baseline JPEG may have 40)."
    ]


FULL_DECODE = [
    ("PNG", {}, "p.png", "image/png"),
    ("GIF", {}, "p.gif", "image/gif"),
    ("WEBP", {}, "p.webp", "image/webp"),
    ("JPEG", {"progressive": True}, "p.jpg", "image/jpeg"),
]


@pytest.mark.parametrize(("fmt", "options", "name", "content_type"), FULL_DECODE)
def test_formats_decoded_in_full_are_accepted_up_to_5_megapixels(
    jwt_client, user, fmt, options, name, content_type
):
    data = images.image_bytes((2500, 2000), fmt, **options)  # 5.0 megapixels

    response = put_avatar(jwt_client, data, name, content_type)

    assert response.status_code == 200, response.content
    assert stored(user).size == (200, 160)


@pytest.mark.parametrize(("fmt", "options", "name", "content_type"), FULL_DECODE)
def test_formats_decoded_in_full_are_refused_above_5_megapixels(
    jwt_client, user, fmt, options, name, content_type
):
    data = images.image_bytes((2500, 2001), fmt, **options)

    response = put_avatar(jwt_client, data, name, content_type)

    assert response.status_code == 400
    assert "2500x2001 pixels; at most 5 megapixels" in response.json()["avatar"][0]


def test_a_baseline_jpeg_decoded_at_reduced_scale_may_have_40_megapixels(jwt_client, user):
    response = put_avatar(jwt_client, images.image_bytes((8000, 5000)))

    assert response.status_code == 200, response.content
    assert stored(user).size == (200, 125)


def test_the_full_decode_pixel_limit_is_configurable(jwt_client, user, settings):
    settings.AVATAR_MAX_PIXELS_FULL_DECODE = 10_000

    response = put_avatar(jwt_client, images.image_bytes((200, 100), "PNG"), "p.png", "image/png")

    assert response.status_code == 400
    assert "at most 0.01 megapixels" in response.json()["avatar"][0]


def test_the_pixel_limit_is_configurable(jwt_client, user, settings):
    settings.AVATAR_MAX_PIXELS = 10_000

    response = put_avatar(jwt_client, images.image_bytes((200, 100)))

    assert response.status_code == 400
    assert "megapixels" in response.json()["avatar"][0]


def test_an_upload_above_the_size_limit_is_refused(jwt_client, user, settings, media_root):
    settings.AVATAR_MAX_UPLOAD_BYTES = 1000
    data = images.image_bytes((400, 400), "PNG", mode="RGB", color=(1, 2, 3))
    data += b"\0" * 2000

    response = put_avatar(jwt_client, data, "big.png", "image/png")

    assert response.status_code == 400
    assert "too large" in response.json()["avatar"][0]
    assert stored_files(media_root) == []


def test_a_string_instead_of_a_file_is_refused(jwt_client, user):
    response = jwt_client.patch(URL, {"avatar": "http://example.com/me.jpg"})

    assert response.status_code == 400
    assert "avatar" in response.json()


def test_replacing_the_avatar_deletes_the_old_file(
    jwt_client, user, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        put_avatar(jwt_client, images.image_bytes())
    first = stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        put_avatar(jwt_client, images.image_bytes(color=images.BLUE))

    remaining = stored_files(media_root)
    assert len(first) == len(remaining) == 1
    assert first != remaining


@pytest.mark.parametrize(
    "remove",
    [
        lambda client: client.delete(reverse("profile-avatar")),
        lambda client: client.patch(URL, {"remove_avatar": "true"}, format="multipart"),
        lambda client: client.patch(URL, {"avatar": None}),
        lambda client: client.patch(URL, {"avatar": ""}),
    ],
    ids=["delete", "patch-remove-multipart", "patch-null-json", "patch-empty-json"],
)
def test_removing_the_avatar_deletes_the_file(
    jwt_client, user, media_root, django_capture_on_commit_callbacks, remove
):
    put_avatar(jwt_client, images.image_bytes())
    assert len(stored_files(media_root)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = remove(jwt_client)

    assert response.status_code in {200, 204}
    user.refresh_from_db()
    assert not user.avatar
    assert stored_files(media_root) == []
    assert jwt_client.get(URL).json()["avatar"] is None


def test_deleting_a_user_deletes_their_avatar_file(
    jwt_client, user, media_root, django_capture_on_commit_callbacks
):
    put_avatar(jwt_client, images.image_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        User.objects.get(pk=user.pk).delete()

    assert stored_files(media_root) == []


def test_a_patch_without_an_avatar_keeps_it(jwt_client, user, media_root):
    put_avatar(jwt_client, images.image_bytes())

    response = jwt_client.patch(URL, {"first_name": "Ann"}, format="multipart")

    assert response.status_code == 200
    assert response.json()["avatar"]
    assert len(stored_files(media_root)) == 1


def test_registration_takes_an_avatar(anon_client):
    response = anon_client.post(
        reverse("register"),
        {
            "email": "ann@example.com",
            "password": "correct-horse-battery-9",
            "avatar": images.upload(images.image_bytes((1200, 900)), "me.jpg"),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.data
    user = User.objects.get()
    assert response.json()["user"]["avatar"] == f"http://testserver/media/{user.avatar.name}"
    assert stored(user).size == (200, 150)


def test_registration_with_a_bad_avatar_creates_no_user(anon_client, media_root):
    response = anon_client.post(
        reverse("register"),
        {
            "email": "ann@example.com",
            "password": "correct-horse-battery-9",
            "avatar": images.upload(b"not an image", "me.jpg"),
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert "avatar" in response.json()
    assert not User.objects.exists()
    assert stored_files(media_root) == []


def test_the_directory_shows_absolute_avatar_urls(jwt_client, user):
    put_avatar(jwt_client, images.image_bytes())
    UserFactory()

    results = jwt_client.get(reverse("user-list")).json()["results"]

    assert results[0]["avatar"].startswith("http://testserver/media/avatars/")
    assert results[1]["avatar"] is None


def test_a_jpeg_is_decoded_at_reduced_scale_but_at_least_twice_the_final_size():
    from accounts.avatars import DecodeAtReducedScale

    image = Image.open(io.BytesIO(images.image_bytes((4000, 3000))))

    image = DecodeAtReducedScale(200, 200).process(image)
    image.load()

    assert image.size == (1000, 750)


def test_the_upload_answers_with_the_profile(jwt_client, user):
    response = put_avatar(jwt_client, images.image_bytes())

    assert response.status_code == 200
    assert response.json() == jwt_client.get(URL).json()
    assert response.json()["avatar"].startswith("http://testserver/media/avatars/")


def test_the_profile_form_uploads_an_avatar_too(jwt_client, user):
    """HTML forms (the browsable API) send the avatar with the other fields of the profile."""
    upload = images.upload(images.image_bytes(), "photo.jpg", "image/jpeg")

    response = jwt_client.patch(URL, {"avatar": upload, "first_name": "Ann"}, format="multipart")

    assert response.status_code == 200
    user.refresh_from_db()
    assert NAME.match(user.avatar.name)
    assert user.first_name == "Ann"


@pytest.mark.parametrize("data", [{}, {"avatar": ""}, {"first_name": "Ann"}])
def test_an_upload_without_a_file_is_a_400_and_keeps_the_avatar(jwt_client, user, data):
    put_avatar(jwt_client, images.image_bytes())
    user.refresh_from_db()
    before = user.avatar.name

    response = jwt_client.put(UPLOAD, data, format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == ["avatar"]
    user.refresh_from_db()
    assert user.avatar.name == before
    assert user.first_name == ""


def test_an_upload_in_json_is_a_415(jwt_client, user):
    response = jwt_client.put(UPLOAD, {"avatar": None}, format="json")

    assert response.status_code == 415
    assert "detail" in response.json()


def test_options_describes_the_upload(jwt_client, user):
    response = jwt_client.options(UPLOAD)

    assert response.status_code == 200
    assert response.json()["actions"]["PUT"]["avatar"]["required"] is True


def test_an_upload_of_the_current_avatars_url_is_a_400(jwt_client, user):
    url = put_avatar(jwt_client, images.image_bytes()).json()["avatar"]

    response = jwt_client.put(UPLOAD, {"avatar": url}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == ["avatar"]
