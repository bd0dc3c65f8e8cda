"""Factories shared by the whole suite. Reports go through report_create, like every channel."""

from __future__ import annotations

import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reports.models import Category, Question
from reports.services import report_create

# Well inside their units (checked against the KOSTAT 2018 boundaries).
JONGNO = (126.9768, 37.5759)  # 11010 종로구, Seoul
HAEUNDAE = (129.1604, 35.1587)  # 21090 해운대구, Busan
SUWON_PALDAL = (127.0286, 37.2636)  # 31013 수원시팔달구 -> 31010 수원시
SEA_EAST_OF_ULSAN = (130.2, 35.5)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"resident{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.kr")
    first_name = "길동"
    last_name = "홍"
    password = factory.django.Password("correct horse battery staple")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-category-{n}")
    name = factory.Sequence(lambda n: f"시험 분류 {n}")
    name_en = factory.Sequence(lambda n: f"Test category {n}")
    group = "시험"
    sla_days = 7


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    category = factory.SubFactory(CategoryFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    datatype = Question.Datatype.STRING
    description = "질문"
    description_en = "Question"


def photo_upload(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), name: str = "photo.jpg", exif: bytes | None = None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 80, 40))
    if exif is not None:
        image.save(buffer, fmt, exif=exif)
    else:
        image.save(buffer, fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def make_report(*, category: Category | None = None, at: tuple[float, float] = JONGNO, **kwargs):
    """A confirmed report filed through the one write path, by a signed-in resident by default."""
    if "reporter" not in kwargs and "reporter_email" not in kwargs and "api_client" not in kwargs:
        kwargs["reporter"] = UserFactory()
    return report_create(
        category=category or CategoryFactory(),
        lon=at[0],
        lat=at[1],
        description=kwargs.pop("description", "보도블록이 깨져 있어요"),
        **kwargs,
    )
