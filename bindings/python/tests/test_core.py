"""crmkit core values from Python: Currency, Money (exact, through decimal.Decimal), exchange
rates, time functions and the datetime conversions, Email, Phone and custom attributes.

Reference values come from Python's decimal and datetime modules, never from crmkit itself."""

import copy
import datetime
import decimal
import pickle
import random
from decimal import Decimal

import numpy as np
import pytest

import crmkit

UTC = datetime.timezone.utc
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


# --- Currency -----------------------------------------------------------------------------------


def test_currency():
    eur = crmkit.Currency("EUR")
    assert (eur.code, eur.exponent, eur.is_set) == ("EUR", 2, True)
    assert crmkit.Currency("JPY").exponent == 0
    assert crmkit.Currency("KWD").exponent == 3
    assert crmkit.Currency("CLF").exponent == 4
    none = crmkit.Currency()
    assert (none.code, none.exponent, none.is_set) == ("XXX", 0, False)
    assert none == crmkit.Currency("XXX")
    assert eur == crmkit.Currency("EUR") and eur != crmkit.Currency("USD")
    assert eur != "EUR"  # a Currency is not its code
    assert hash(eur) == hash(crmkit.Currency("EUR"))
    assert len({eur, crmkit.Currency("EUR"), crmkit.Currency("USD")}) == 2
    assert str(eur) == "EUR" and repr(eur) == "Currency('EUR')"
    assert crmkit.Currency.is_known("USD") and not crmkit.Currency.is_known("ABC")
    assert pickle.loads(pickle.dumps(eur)) == eur
    assert copy.copy(eur) == eur and copy.deepcopy(eur) == eur


@pytest.mark.parametrize("code", ["eur", "EU", "EURO", "ABC", ""])
def test_bad_currency_names_the_field(code):
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.Currency(code)
    assert info.value.field == "currency"
    assert info.value.value == code


# --- Money --------------------------------------------------------------------------------------


def test_money_from_decimal_int_and_str():
    m = crmkit.Money(Decimal("1234.50"), "EUR")
    assert m.minor_units == 123450
    assert m.currency == crmkit.Currency("EUR")
    assert m.to_decimal() == Decimal("1234.50")
    assert str(m.to_decimal()) == "1234.50"  # exactly two decimals
    assert str(m) == m.format() == "1234.50 EUR"
    assert m.to_string() == "1234.50"
    assert repr(m) == "Money('1234.50', 'EUR')"
    assert crmkit.Money(1234, "EUR").minor_units == 123400
    assert crmkit.Money("1234.5", crmkit.Currency("EUR")) == m
    assert crmkit.Money(np.int64(7), "EUR").minor_units == 700  # integer-like objects
    assert crmkit.Money.parse("1234.50", "EUR") == m
    assert crmkit.Money.from_minor_units(123450, "EUR") == m
    assert crmkit.Money(Decimal("1.2E+3"), "EUR").minor_units == 120000


def test_money_refuses_floats_and_other_types():
    with pytest.raises(TypeError, match="Decimal"):
        crmkit.Money(0.1, "EUR")
    with pytest.raises(TypeError):
        crmkit.Money(np.float64(0.1), "EUR")
    with pytest.raises(TypeError):
        crmkit.Money(True, "EUR")
    with pytest.raises(TypeError):
        crmkit.Money([1], "EUR")
    with pytest.raises(TypeError):
        crmkit.Money("1", 978)  # a currency is a Currency or its code
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.Money("1", "eur")
    assert info.value.field == "currency"


@pytest.mark.parametrize(
    "code, exponent, amounts",
    [
        ("JPY", 0, ["0", "1", "-1", "123456789", "9223372036854775807", "-9223372036854775808"]),
        ("EUR", 2, ["0.00", "0.01", "-0.05", "1234.50", "92233720368547758.07", "-92233720368547758.08"]),
        ("KWD", 3, ["0.001", "-1.234", "9223372036854775.807", "-9223372036854775.808"]),
        ("CLF", 4, ["0.0001", "922337203685477.5807", "-922337203685477.5808"]),
    ],
)
def test_money_decimal_round_trip_at_the_edges(code, exponent, amounts):
    for text in amounts:
        d = Decimal(text)
        m = crmkit.Money(d, code)
        assert m.to_decimal() == d
        assert m.to_decimal().as_tuple().exponent == -exponent
        # minor units computed by the decimal module
        assert m.minor_units == int(d.scaleb(exponent))
        assert crmkit.Money.from_minor_units(m.minor_units, code) == m
        assert crmkit.Money(text, code) == m
        assert crmkit.Money.parse(text, code) == m


@pytest.mark.parametrize(
    "code, amount",
    [
        ("EUR", Decimal("92233720368547758.08")),
        ("EUR", Decimal("-92233720368547758.09")),
        ("JPY", 2**63),
        ("JPY", -(2**63) - 1),
        ("JPY", 10**30),
        ("KWD", "9223372036854775.808"),
        ("EUR", Decimal("1E+40")),
    ],
)
def test_money_overflow_names_amount(code, amount):
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.Money(amount, code)
    assert info.value.field == "amount"
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "amount",
    ["1.234", Decimal("0.001"), "abc", "", "1,5", "1.", ".5", Decimal("NaN"), Decimal("Infinity")],
)
def test_money_bad_amounts_name_amount(amount):
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.Money(amount, "EUR")
    assert info.value.field == "amount"


def test_money_extra_zero_decimals_are_accepted():
    assert crmkit.Money(Decimal("5.000"), "JPY").minor_units == 5
    assert crmkit.Money("1.2300", "EUR").minor_units == 123
    with pytest.raises(crmkit.ValidationError):
        crmkit.Money("5.5", "JPY")


def test_money_random_round_trips_against_decimal():
    rng = random.Random(6)
    for _ in range(500):
        code, exponent = rng.choice([("EUR", 2), ("JPY", 0), ("KWD", 3), ("CLF", 4)])
        minor = rng.randint(INT64_MIN, INT64_MAX)
        d = Decimal(minor).scaleb(-exponent)
        m = crmkit.Money(d, code)
        assert m.minor_units == minor
        assert m.to_decimal() == d
        assert Decimal(m.to_string()) == d


def test_money_arithmetic():
    a = crmkit.Money("10.25", "EUR")
    b = crmkit.Money("0.75", "EUR")
    assert a + b == crmkit.Money("11.00", "EUR")
    assert a - b == crmkit.Money("9.50", "EUR")
    assert -a == crmkit.Money("-10.25", "EUR")
    assert +a == a and abs(-a) == a
    assert a * 3 == 3 * a == a.times(3) == crmkit.Money("30.75", "EUR")
    assert a < crmkit.Money("10.26", "EUR") <= crmkit.Money("10.26", "EUR")
    assert a > b >= b
    assert sorted([a, b]) == [b, a]
    assert float(a) == a.to_double() == 10.25
    with pytest.raises(TypeError):
        a * 1.5  # use scaled() for a ratio
    with pytest.raises(TypeError):
        a + 1


def test_money_scaled_and_from_double():
    # half to even: 0.125 EUR * 1 -> 12.5 cents -> 12 (even); 0.135 -> 13.5 -> 14
    assert crmkit.Money("0.25", "EUR").scaled(0.5).minor_units == 12
    assert crmkit.Money("0.27", "EUR").scaled(0.5).minor_units == 14
    assert crmkit.Money("100.00", "EUR").scaled(0.1) == crmkit.Money("10.00", "EUR")
    # half away from zero
    assert crmkit.Money.from_double(0.125, "EUR").minor_units == 13
    assert crmkit.Money.from_double(-0.125, "EUR").minor_units == -13
    with pytest.raises(crmkit.ValidationError):
        crmkit.Money.from_double(float("nan"), "EUR")
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.Money("1", "EUR").scaled(float("inf"))
    assert info.value.field == "factor"


def test_money_across_currencies_and_overflow():
    eur = crmkit.Money("1", "EUR")
    usd = crmkit.Money("1", "USD")
    assert eur != usd and not (eur == usd)
    for op in (lambda: eur + usd, lambda: eur - usd, lambda: eur < usd, lambda: eur >= usd):
        with pytest.raises(crmkit.ValidationError) as info:
            op()
        assert info.value.field == "amount"
        assert "EUR" in str(info.value) and "USD" in str(info.value)
    biggest = crmkit.Money.from_minor_units(INT64_MAX, "EUR")
    smallest = crmkit.Money.from_minor_units(INT64_MIN, "EUR")
    for op in (
        lambda: biggest + crmkit.Money("0.01", "EUR"),
        lambda: smallest - crmkit.Money("0.01", "EUR"),
        lambda: -smallest,
        lambda: biggest * 2,
        lambda: biggest.scaled(2.0),
    ):
        with pytest.raises(crmkit.ValidationError) as info:
            op()
        assert "overflow" in info.value.rule
    with pytest.raises(crmkit.ValidationError) as info:  # a factor beyond int64 overflows too
        eur.times(2**64)
    assert info.value.field == "amount"
    assert crmkit.Money(0, "EUR") * 2**64 == crmkit.Money(0, "EUR")


def test_money_is_an_immutable_hashable_value():
    a = crmkit.Money("10.00", "EUR")
    assert hash(a) == hash(crmkit.Money.from_minor_units(1000, "EUR"))
    assert len({a, crmkit.Money(10, "EUR"), crmkit.Money(10, "USD")}) == 2
    with pytest.raises(AttributeError):
        a.minor_units = 5
    assert pickle.loads(pickle.dumps(a)) == a
    assert copy.copy(a) == a and copy.deepcopy(a) == a


# --- exchange rates -----------------------------------------------------------------------------


def decimal_convert(amount, rate, target_exponent):
    q = Decimal(1).scaleb(-target_exponent)
    return (amount * Decimal(rate)).quantize(q, rounding=decimal.ROUND_HALF_EVEN)


def test_convert_against_decimal():
    rate = crmkit.ExchangeRate(
        from_="EUR", to="USD", date=datetime.date(2024, 1, 2), rate="1.0842"
    )
    assert rate.from_ == crmkit.Currency("EUR") and rate.to == crmkit.Currency("USD")
    assert rate.date == datetime.date(2024, 1, 2) and rate.rate == "1.0842"
    assert "1.0842" in repr(rate)
    rng = random.Random(7)
    for _ in range(300):
        amount = Decimal(rng.randint(-10**12, 10**12)).scaleb(-2)
        got = crmkit.convert(crmkit.Money(amount, "EUR"), rate)
        assert got.currency.code == "USD"
        assert got.to_decimal() == decimal_convert(amount, "1.0842", 2)
    to_jpy = crmkit.ExchangeRate(from_="EUR", to="JPY", date="2024-01-02", rate=Decimal("157.125"))
    assert to_jpy.rate == "157.125"
    for text in ["0.01", "0.02", "0.03", "10.00", "-7.77", "123.45"]:
        got = crmkit.convert(crmkit.Money(text, "EUR"), to_jpy)
        assert got.to_decimal() == decimal_convert(Decimal(text), "157.125", 0)


def test_convert_errors():
    rate = crmkit.ExchangeRate(from_="EUR", to="USD", date=datetime.date(2024, 1, 2), rate="1.1")
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.convert(crmkit.Money("1", "GBP"), rate)
    assert info.value.field == "amount"
    rate.rate = "-1"
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.convert(crmkit.Money("1", "EUR"), rate)
    assert info.value.field == "rate.rate"
    with pytest.raises(TypeError):
        rate.rate = 1.1  # floats are not exact
    other = copy.copy(rate)
    assert other == rate
    assert pickle.loads(pickle.dumps(rate)) == rate
    other.to = "JPY"
    assert other != rate and rate.to.code == "USD"


# --- time ---------------------------------------------------------------------------------------


def test_parse_and_format_timestamps():
    t = crmkit.parse_timestamp("2024-03-05T10:20:30.123456+02:00")
    assert t == datetime.datetime(2024, 3, 5, 8, 20, 30, 123456, tzinfo=UTC)
    assert t.tzinfo is not None and t.utcoffset() == datetime.timedelta(0)
    assert crmkit.parse_timestamp("2024-03-05") == datetime.datetime(2024, 3, 5, tzinfo=UTC)
    assert crmkit.parse_timestamp("2024-03-05 10:20") == datetime.datetime(2024, 3, 5, 10, 20, tzinfo=UTC)
    assert crmkit.format_timestamp(t) == "2024-03-05T08:20:30.123456Z"
    assert crmkit.format_timestamp(datetime.datetime(2024, 3, 5, tzinfo=UTC)) == "2024-03-05T00:00:00Z"
    # aware non-UTC input is converted
    paris = datetime.timezone(datetime.timedelta(hours=1))
    assert crmkit.format_timestamp(datetime.datetime(2024, 1, 1, 0, 30, tzinfo=paris)) == "2023-12-31T23:30:00Z"
    # str and numpy.datetime64 input
    assert crmkit.format_timestamp("2024-01-01T00:00:00-05:00") == "2024-01-01T05:00:00Z"
    assert crmkit.format_timestamp(np.datetime64("2024-01-01T00:00:00.000001")) == "2024-01-01T00:00:00.000001Z"
    assert crmkit.format_timestamp(np.datetime64("2024-01-01T00:00:00.000000001", "ns")) == "2024-01-01T00:00:00Z"


def test_microseconds_are_exact():
    rng = random.Random(8)
    epoch = datetime.datetime(1970, 1, 1, tzinfo=UTC)
    for _ in range(300):
        t = epoch + datetime.timedelta(microseconds=rng.randint(-(10**16), 10**17))
        text = crmkit.format_timestamp(t)
        assert crmkit.parse_timestamp(text) == t
        assert text == t.strftime("%Y-%m-%dT%H:%M:%S") + (f".{t.microsecond:06d}" if t.microsecond else "") + "Z"
        c = crmkit.Customer(created_at=t)
        assert c.created_at == t


def test_naive_datetime_is_a_value_error():
    with pytest.raises(ValueError, match="naive") as info:
        crmkit.format_timestamp(datetime.datetime(2024, 1, 1))
    assert not isinstance(info.value, crmkit.Error)
    with pytest.raises(ValueError, match="naive"):
        crmkit.date_of(datetime.datetime(2024, 1, 1))


@pytest.mark.parametrize(
    "text, column",
    [
        ("2024-13-01", 6),  # the month
        ("2024-02-30", 9),  # the day
        ("2024-01-01T24:00", 12),  # the hour
        ("2024-01-01T10:60", 15),  # the minute
        ("2024-01-01X10:00", 11),  # the separator
        ("2024-01-01T10:00:00.1234567", 27),  # the seventh fraction digit
        ("2024-01-01T10:00+25:00", 18),  # the offset hour
        ("yesterday", 1),
    ],
)
def test_bad_timestamp_is_a_parse_error_with_the_column(text, column):
    with pytest.raises(crmkit.ParseError) as info:
        crmkit.parse_timestamp(text)
    e = info.value
    assert isinstance(e, ValueError)
    assert (e.source, e.line, e.column, e.value) == ("timestamp", 0, column, text)
    assert e.rule
    # str input to any timestamp argument goes through the same parser
    with pytest.raises(crmkit.ParseError) as info:
        crmkit.format_timestamp(text)
    assert info.value.column == column


def test_dates():
    d = crmkit.parse_date("2024-02-29")
    assert d == datetime.date(2024, 2, 29) and type(d) is datetime.date
    assert crmkit.format_date(datetime.date(1, 1, 1)) == "0001-01-01"
    assert crmkit.format_date("2024-12-31") == "2024-12-31"
    with pytest.raises(crmkit.ParseError) as info:
        crmkit.parse_date("2023-02-29", field="expected_close")
    assert (info.value.source, info.value.column) == ("expected_close", 9)
    with pytest.raises(crmkit.ParseError):
        crmkit.parse_date("2024-01-01T00:00")
    with pytest.raises(TypeError, match="datetime"):
        crmkit.format_date(datetime.datetime(2024, 1, 1, tzinfo=UTC))
    t = datetime.datetime(2024, 5, 6, 23, 59, 59, 999999, tzinfo=UTC)
    assert crmkit.date_of(t) == datetime.date(2024, 5, 6)
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    assert crmkit.date_of(datetime.datetime(2024, 5, 7, 8, 0, tzinfo=tokyo)) == datetime.date(2024, 5, 6)
    assert crmkit.date_of(datetime.datetime(1969, 12, 31, 23, 0, tzinfo=UTC)) == datetime.date(1969, 12, 31)
    assert crmkit.start_of(datetime.date(2024, 5, 6)) == datetime.datetime(2024, 5, 6, tzinfo=UTC)
    assert crmkit.start_of("1960-01-01") == datetime.datetime(1960, 1, 1, tzinfo=UTC)


def test_now_is_aware_utc():
    before = datetime.datetime.now(UTC).replace(microsecond=0)
    t = crmkit.now()
    after = datetime.datetime.now(UTC) + datetime.timedelta(seconds=1)
    assert t.utcoffset() == datetime.timedelta(0)
    assert before <= t <= after


# --- Email and Phone ----------------------------------------------------------------------------


def test_email():
    e = crmkit.Email("  Ada.Lovelace@Example.ORG ")
    assert str(e) == "Ada.Lovelace@example.org"
    assert e.local_part == "Ada.Lovelace" and e.domain == "example.org"
    assert e.lookup_key() == "ada.lovelace@example.org"
    assert repr(e) == "Email('Ada.Lovelace@example.org')"
    assert e == crmkit.Email("Ada.Lovelace@EXAMPLE.org")
    assert e != crmkit.Email("ada.lovelace@example.org")  # the local part keeps its case
    assert hash(e) == hash(crmkit.Email("Ada.Lovelace@example.org"))
    assert sorted([crmkit.Email("b@x.org"), crmkit.Email("a@x.org")])[0] == crmkit.Email("a@x.org")
    assert pickle.loads(pickle.dumps(e)) == e


@pytest.mark.parametrize(
    "text", ["", "ada", "ada@", "@example.org", "a..b@example.org", "ada@example", "ada@exa mple.org", '"a"@example.org', "a@[1.2.3.4]"]
)
def test_bad_email(text):
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.Email(text)
    assert info.value.field == "email"
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.Email(text, field="customer.emails[3]")
    assert info.value.field == "customer.emails[3]"


def test_phone():
    p = crmkit.Phone("06 12 34 56 78", "FR")
    assert str(p) == "+33612345678" and repr(p) == "Phone('+33612345678')"
    assert crmkit.Phone("+33 (0)6.12.34.56.78".replace("(0)", "")) == p
    assert crmkit.Phone("0033 6 12 34 56 78") == p
    assert crmkit.Phone("(212) 555-0100", default_region="US") == crmkit.Phone("+1 212 555 0100")
    assert crmkit.Phone.calling_code("FR") == "33"
    assert crmkit.Phone.calling_code("US") == "1"
    assert crmkit.Phone.calling_code("ZZ") == ""
    assert hash(p) == hash(crmkit.Phone("+33612345678"))
    assert pickle.loads(pickle.dumps(p)) == p
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.Phone("06 12 34 56 78")  # national without a region
    assert info.value.field == "phone"
    with pytest.raises(crmkit.ValidationError):
        crmkit.Phone("06 12 34 56 78", "ZZ")
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.Phone("+33 6", field="customer.phones[0]")
    assert info.value.field == "customer.phones[0]"


# --- custom attributes --------------------------------------------------------------------------


def test_attribute_values():
    t = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    cases = [
        (None, "null", "null"),
        (True, "bool", "true"),
        (False, "bool", "false"),
        (42, "integer", "42"),
        (-(2**63), "integer", str(-(2**63))),
        (0.1, "double", repr(0.1)),
        (1e300, "double", "1e+300"),
        ("text", "string", "text"),
        (t, "timestamp", "2024-01-02T03:04:05Z"),
    ]
    for value, type_name, text in cases:
        assert crmkit.attribute_type_name(value) == type_name, value
        assert crmkit.attribute_to_string(value) == text, value
    with pytest.raises(TypeError):
        crmkit.attribute_type_name([1, 2])


def test_attribute_values_are_taken_strictly():
    # numpy scalars count as their Python kinds
    assert crmkit.attribute_type_name(np.bool_(True)) == "bool"
    assert crmkit.attribute_type_name(np.int32(3)) == "integer"
    assert crmkit.attribute_type_name(np.float32(0.5)) == "double"
    assert crmkit.attribute_type_name(np.datetime64("2024-01-01T00:00:00")) == "timestamp"
    # no truthiness and no silent float: these would otherwise become True or a double
    with pytest.raises(TypeError, match="Decimal"):
        crmkit.attribute_type_name(Decimal("9.99"))
    with pytest.raises(ValueError, match="64-bit"):
        crmkit.attribute_type_name(2**70)
    with pytest.raises(TypeError, match=r"attributes\['price'\]"):
        crmkit.Customer(attributes={"price": Decimal("9.99")})
    with pytest.raises(TypeError, match="not a str"):
        crmkit.Customer(attributes={1: "x"})
    with pytest.raises(TypeError):
        crmkit.Customer(attributes=[("a", 1)])
    c = crmkit.Customer()
    c.attributes = {"n": np.int64(5), "flag": np.bool_(False)}
    assert c.attributes == {"n": 5, "flag": False}
    assert type(c.attributes["n"]) is int and type(c.attributes["flag"]) is bool


def test_attributes_round_trip_through_a_customer_with_their_types():
    t = datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    attrs = {"vip": True, "score": 7, "ratio": 0.5, "note": "hi", "since": t, "gone": None}
    c = crmkit.Customer(attributes=attrs)
    back = c.attributes
    assert back == attrs
    assert {k: type(v) for k, v in back.items()} == {k: type(v) for k, v in attrs.items()}
    crmkit.validate_attributes(attrs, "customer.attributes")


def test_validate_attributes_names_the_attribute():
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.validate_attributes({"Bad Name": 1}, "customer.attributes")
    assert info.value.field.startswith("customer.attributes")
    assert "Bad Name" in info.value.field
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.validate_attributes({"ratio": float("nan")}, "deal.attributes")
    assert info.value.field == "deal.attributes[ratio]"
    with pytest.raises(ValueError, match="naive"):
        crmkit.validate_attributes({"since": datetime.datetime(2024, 1, 1)}, "x")


def test_every_public_core_object_is_documented():
    from crmkit import _crmkit

    for name in dir(_crmkit.core):
        if name.startswith("_"):
            continue
        obj = getattr(_crmkit.core, name)
        doc = (obj.__doc__ or "").strip()
        lines = [line for line in doc.splitlines() if line.strip() and "(" not in line.split(" ")[0]]
        assert lines, name
