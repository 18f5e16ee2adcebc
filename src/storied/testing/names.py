"""storied's built-in name rules: a field called ``email`` gets an e-mail address, and so on.

Rules match whole words of a snake_case name (``billing_email``, ``email_address``), are
tried in order, and apply to ``str`` fields unless said otherwise. The factory fits each value
to the field's constraints afterwards (``max_length`` cuts, ``min_length`` pads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from faker import Faker

from .extensions import Extension, Extensions

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _words(*words: str) -> str:
    """A pattern matching any of ``words`` as a whole word of a snake_case name."""
    return r"(?:^|_)(?:" + "|".join(words) + r")(?:$|_)"


def _rule(pattern: str, fn: Callable[[Faker], Any], *kinds: str) -> Extension:
    return Extension(pattern, fn, frozenset(kinds or ("str",)))


NAME_RULES = Extensions(
    [
        _rule(_words("email", "e_mail", "mail"), lambda f: f.email()),
        _rule(_words("phone", "mobile", "fax", "telephone", "tel"), lambda f: f.phone_number()),
        _rule(_words("first_name", "given_name", "forename"), lambda f: f.first_name()),
        _rule(_words("last_name", "surname", "family_name"), lambda f: f.last_name()),
        _rule(_words("username", "user_name", "login", "handle"), lambda f: f.user_name()),
        _rule(_words("password", "passphrase"), lambda f: f.password()),
        _rule(
            _words("full_name", "name", "owner", "contact", "person", "customer"),
            lambda f: f.name(),
        ),
        _rule(_words("company", "organization", "organisation", "employer"), lambda f: f.company()),
        _rule(_words("street", "street_address", "address_line"), lambda f: f.street_address()),
        _rule(_words("address"), lambda f: f.address().replace("\n", ", ")),
        _rule(_words("city", "town"), lambda f: f.city()),
        _rule(_words("state", "province", "region"), lambda f: f.state()),
        _rule(_words("country_code"), lambda f: f.country_code()),
        _rule(_words("country"), lambda f: f.country()),
        _rule(_words("zip", "zipcode", "postcode", "postal_code"), lambda f: f.postcode()),
        _rule(_words("url", "uri", "website", "homepage", "link"), lambda f: f.url()),
        _rule(_words("domain", "hostname"), lambda f: f.domain_name()),
        _rule(_words("ip", "ip_address", "ipv4"), lambda f: f.ipv4()),
        _rule(_words("iban"), lambda f: f.iban()),
        _rule(_words("bic", "swift"), lambda f: f.swift()),
        _rule(_words("sku"), lambda f: f.bothify("SKU-####-????", letters=_UPPER)),
        _rule(_words("isbn"), lambda f: f.isbn13()),
        _rule(_words("currency", "currency_code"), lambda f: f.currency_code()),
        _rule(_words("language"), lambda f: f.language_name()),
        _rule(_words("slug"), lambda f: f.slug()),
        _rule(_words("color", "colour"), lambda f: f.color_name()),
        _rule(_words("job", "job_title", "occupation"), lambda f: f.job()),
        _rule(_words("title", "subject", "headline"), lambda f: f.sentence(nb_words=4)[:-1]),
        _rule(
            _words(
                "description",
                "summary",
                "bio",
                "body",
                "comment",
                "note",
                "notes",
                "text",
                "message",
                "content",
            ),
            lambda f: f.sentence(nb_words=8),
        ),
        _rule(_words("label", "tag", "category", "keyword", "word"), lambda f: f.word()),
        _rule(_words("code", "reference", "ref"), lambda f: f.bothify("??-#####", letters=_UPPER)),
        # numbers only where the field sets no bounds of its own (the factory checks)
        _rule(_words("latitude", "lat"), lambda f: float(f.latitude()), "float"),
        _rule(_words("longitude", "lng", "lon"), lambda f: float(f.longitude()), "float"),
        _rule(_words("age"), lambda f: f.random_int(18, 90), "int"),
    ]
)
