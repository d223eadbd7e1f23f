// crmkit._crmkit.core: Currency, Money, exchange rates, time functions, emails, phones and custom
// attributes (core/*.hpp). Ids are plain ints (casters.hpp): nothing to bind.
#include "bindings.hpp"
// (bindings.hpp first)
#include "domain_parts.hpp"

#include <cstdint>
#include <string>
#include <utility>

namespace crmkit::python {

namespace {

using CurrencyArg = TextOr<Currency>;

py::object decimal_class() {
  return py::module_::import("decimal").attr("Decimal");
}

// The exact decimal text of a Python amount in MAJOR units: a decimal.Decimal, an int (or an
// integer-like object such as numpy.int64) or a str. Never a float: it is not exact.
std::string amount_text(const py::handle& amount) {
  if (py::isinstance<py::str>(amount)) return amount.cast<std::string>();
  if (py::isinstance<py::float_>(amount)) {
    throw py::type_error("amount: " + py::repr(amount).cast<std::string>() +
                         " is a float, which is not exact; pass a decimal.Decimal or a str "
                         "(e.g. Decimal('19.99') or '19.99'), or use Money.from_double()");
  }
  if (py::isinstance<py::bool_>(amount)) {
    throw py::type_error("amount: a bool is not an amount; pass a decimal.Decimal, an int or a str");
  }
  if (py::isinstance(amount, decimal_class())) {
    if (!amount.attr("is_finite")().cast<bool>()) {
      throw ValidationError("amount", py::str(amount).cast<std::string>(),
                            "must be a finite number");
    }
    return py::module_::import("builtins").attr("format")(amount, "f").cast<std::string>();
  }
  if (py::isinstance<py::int_>(amount) || py::hasattr(amount, "__index__")) {
    return py::str(py::module_::import("operator").attr("index")(amount)).cast<std::string>();
  }
  throw py::type_error("amount: expected a decimal.Decimal, an int or a str, got " +
                       py::repr(amount).cast<std::string>());
}

// An exchange rate given as a str or a decimal.Decimal (never a float), as exact decimal text.
std::string rate_text(const py::handle& rate) {
  if (py::isinstance<py::str>(rate)) return rate.cast<std::string>();
  if (py::isinstance(rate, decimal_class()) && rate.attr("is_finite")().cast<bool>()) {
    return py::module_::import("builtins").attr("format")(rate, "f").cast<std::string>();
  }
  throw py::type_error("rate: expected a decimal str such as '1.0842' or a decimal.Decimal, got " +
                       py::repr(rate).cast<std::string>());
}

// Money::times for any Python int: a factor beyond int64 overflows like any other product.
Money times(const Money& m, const py::int_& factor) {
  std::int64_t value = 0;
  try {
    value = factor.cast<std::int64_t>();
  } catch (const py::cast_error&) {
    if (m.minor_units() == 0) return m;
    throw ValidationError("amount", m.format(),
                          "overflows the 64-bit range of minor units when multiplied by " +
                              py::repr(factor).cast<std::string>());
  }
  return m.times(value);
}

std::string money_repr(const Money& m) {
  return "Money('" + m.to_string() + "', '" + std::string(m.currency().code()) + "')";
}

void bind_currency(py::module_& core) {
  py::class_<Currency> cls(core, "Currency", R"doc(An ISO 4217 currency: its three-letter code and its minor-unit exponent.

The exponent is 2 for EUR (cents), 0 for JPY, 3 for KWD. Only codes in crmkit's ISO 4217 table are
accepted. ``Currency()`` is ``XXX`` ("no currency", exponent 0), carried by zero amounts that have
none. Immutable and hashable; wherever crmkit takes a currency, the code as a str works too.)doc");
  cls.def(py::init([](const std::string& code) { return Currency(code); }), py::arg("code") = "XXX",
          R"doc(Looks up an upper-case ISO 4217 code such as ``"EUR"``.

Raises:
    crmkit.ValidationError: (field ``currency``) when the code is not three upper-case letters or
        not in the ISO 4217 table.)doc");
  cls.def_property_readonly(
      "code", [](const Currency& c) { return std::string(c.code()); }, "The three-letter code.");
  cls.def_property_readonly("exponent", &Currency::exponent,
                            "Number of decimal digits of the minor unit (0 to 4).");
  cls.def_property_readonly("is_set", &Currency::is_set, "True unless this is ``XXX``.");
  cls.def_static("is_known", &Currency::is_known, py::arg("code"),
                 "True when ``code`` is in the ISO 4217 table.");
  cls.def(
      "__eq__", [](const Currency& a, const Currency& b) { return a == b; }, py::is_operator(),
      py::arg("other"), "Currencies compare by code.");
  cls.def(
      "__ne__", [](const Currency& a, const Currency& b) { return !(a == b); }, py::is_operator(),
      py::arg("other"), "Currencies compare by code.");
  cls.def(
      "__hash__", [](const Currency& c) { return py::hash(py::str(std::string(c.code()))); },
      "Hash of the code.");
  cls.def(
      "__str__", [](const Currency& c) { return std::string(c.code()); }, "The code.");
  cls.def(
      "__repr__",
      [](const Currency& c) { return "Currency('" + std::string(c.code()) + "')"; },
      "``Currency('EUR')``.");
  cls.def(
      "__copy__", [](const Currency& c) { return c; }, "The same value (currencies are immutable).");
  cls.def(
      "__deepcopy__", [](const Currency& c, const py::dict&) { return c; }, py::arg("memo"),
      "The same value (currencies are immutable).");
  cls.def(py::pickle([](const Currency& c) { return py::make_tuple(std::string(c.code())); },
                     [](const py::tuple& state) { return Currency(state[0].cast<std::string>()); }));
}

void bind_money(py::module_& core) {
  py::class_<Money> cls(core, "Money", R"doc(An exact amount of money: a signed 64-bit count of minor units plus its currency.

``Money(amount, currency)`` takes the amount in MAJOR units, exactly: a ``decimal.Decimal``, an
``int`` or a decimal ``str`` (``Money("1234.50", "EUR")``); a float is refused because it is not
exact (use ``Money.from_double`` for analytics outputs). Arithmetic (``+``, ``-``, unary ``-``,
``*`` by an int) and ordering across currencies raise ``crmkit.ValidationError``, and so does
overflow; ``==`` is simply False across currencies. Immutable and hashable. ``str(m)`` is
``m.format()``, e.g. ``"1234.50 EUR"``; ``float(m)`` is the amount in major units (may round).)doc");
  cls.def(py::init([](const py::object& amount, const CurrencyArg& currency) {
            const std::string text = amount_text(amount);
            return Money::parse(text, currency.get());
          }),
          py::arg("amount"), py::arg("currency"),
          R"doc(The amount in major units of ``currency``, exactly.

Args:
    amount: a ``decimal.Decimal``, an ``int`` or a decimal ``str`` such as ``"1234.50"``, ``"-3"``;
        digits beyond the currency's exponent are accepted only when they are zeros.
    currency: a ``Currency`` or its code, e.g. ``"EUR"``.

Raises:
    TypeError: for a float (not exact) or any other type.
    crmkit.ValidationError: (field ``amount``) on malformed text, too many decimals, a non-finite
        Decimal, or an amount outside the 64-bit range of minor units; (field ``currency``) for
        an unknown currency code.)doc");
  cls.def_static(
      "from_minor_units",
      [](std::int64_t minor, const CurrencyArg& currency) { return Money(minor, currency.get()); },
      py::arg("minor"), py::arg("currency"),
      "``minor`` minor units of ``currency`` (e.g. 123450 EUR cents = 1234.50 EUR).");
  cls.def_static(
      "parse",
      [](std::string_view text, const CurrencyArg& currency) {
        return Money::parse(text, currency.get());
      },
      py::arg("text"), py::arg("currency"),
      R"doc(Parses a decimal string such as ``"1234.50"``, ``"-3"``, ``"0.5"`` exactly.

Digits beyond the currency's exponent are accepted only when they are zeros.

Raises:
    crmkit.ValidationError: (field ``amount``) on malformed text, too many decimals, or overflow.)doc");
  cls.def_static(
      "from_double",
      [](double major, const CurrencyArg& currency) {
        return Money::from_double(major, currency.get());
      },
      py::arg("major"), py::arg("currency"),
      R"doc(Converts a float amount in major units, rounding half away from zero to the minor unit.

Meant for analytics outputs, never for bookkeeping.

Raises:
    crmkit.ValidationError: when the value is not finite or overflows.)doc");
  cls.def_property_readonly("minor_units", &Money::minor_units, "The count of minor units (int).");
  cls.def_property_readonly("currency", &Money::currency, "The currency.");
  cls.def(
      "to_decimal",
      [](const Money& m) { return decimal_class()(m.to_string()); },
      "The amount in major units as a ``decimal.Decimal``, exactly, with ``exponent`` decimals.");
  cls.def("to_double", &Money::to_double,
          "The amount in major units as a float (for analytics; may round for huge amounts).");
  cls.def("__float__", &Money::to_double, "Same as ``to_double()``.");
  cls.def("to_string", &Money::to_string,
          "Exact decimal text with exactly ``exponent`` decimals, e.g. ``\"1234.50\"``, "
          "``\"-0.05\"``, ``\"12\"`` (JPY).");
  cls.def("format", &Money::format, "Decimal text followed by the code, e.g. ``\"1234.50 EUR\"``.");
  cls.def("__str__", &Money::format, "Same as ``format()``: ``\"1234.50 EUR\"``.");
  cls.def("__repr__", &money_repr, "``Money('1234.50', 'EUR')``.");
  cls.def(
      "times", &times,
      py::arg("factor"),
      "Multiplies by an integer.\n\nRaises:\n    crmkit.ValidationError: on overflow.");
  cls.def(
      "scaled", [](const Money& m, double factor) { return m.scaled(factor); }, py::arg("factor"),
      R"doc(Multiplies by a ratio (e.g. a probability) and rounds half to even to the minor unit.

The factor is taken as its shortest decimal text (0.1 scales by exactly one tenth).

Raises:
    crmkit.ValidationError: when the factor is not finite or the result overflows.)doc");
  cls.def(
      "__add__", [](const Money& a, const Money& b) { return a + b; }, py::is_operator(),
      py::arg("other"),
      "Sum.\n\nRaises:\n    crmkit.ValidationError: on different currencies or overflow.");
  cls.def(
      "__sub__", [](const Money& a, const Money& b) { return a - b; }, py::is_operator(),
      py::arg("other"),
      "Difference.\n\nRaises:\n    crmkit.ValidationError: on different currencies or overflow.");
  cls.def(
      "__neg__", [](const Money& a) { return -a; }, py::is_operator(),
      "Negation.\n\nRaises:\n    crmkit.ValidationError: on overflow (the most negative amount).");
  cls.def(
      "__pos__", [](const Money& a) { return a; }, py::is_operator(), "The same amount.");
  cls.def(
      "__abs__", [](const Money& a) { return a.minor_units() < 0 ? -a : a; }, py::is_operator(),
      "The magnitude.\n\nRaises:\n    crmkit.ValidationError: on overflow (the most negative "
      "amount).");
  cls.def(
      "__mul__", &times,
      py::is_operator(), py::arg("factor"),
      "Multiplies by an int (``times``); use ``scaled`` for a ratio.\n\nRaises:\n    "
      "crmkit.ValidationError: on overflow.");
  cls.def(
      "__rmul__", &times,
      py::is_operator(), py::arg("factor"), "``int * Money``, same as ``Money * int``.");
  cls.def(
      "__eq__", [](const Money& a, const Money& b) { return a == b; }, py::is_operator(),
      py::arg("other"), "Same amount and currency (False across currencies).");
  cls.def(
      "__ne__", [](const Money& a, const Money& b) { return !(a == b); }, py::is_operator(),
      py::arg("other"), "Not the same amount and currency.");
  const char* ordering_doc =
      "Orders amounts of one currency.\n\nRaises:\n    crmkit.ValidationError: on different "
      "currencies.";
  cls.def(
      "__lt__", [](const Money& a, const Money& b) { return a < b; }, py::is_operator(),
      py::arg("other"), ordering_doc);
  cls.def(
      "__le__", [](const Money& a, const Money& b) { return a <= b; }, py::is_operator(),
      py::arg("other"), ordering_doc);
  cls.def(
      "__gt__", [](const Money& a, const Money& b) { return a > b; }, py::is_operator(),
      py::arg("other"), ordering_doc);
  cls.def(
      "__ge__", [](const Money& a, const Money& b) { return a >= b; }, py::is_operator(),
      py::arg("other"), ordering_doc);
  cls.def(
      "__hash__",
      [](const Money& m) {
        return py::hash(py::make_tuple(m.minor_units(), std::string(m.currency().code())));
      },
      "Hash of the minor units and the code.");
  cls.def(
      "__copy__", [](const Money& m) { return m; }, "The same value (amounts are immutable).");
  cls.def(
      "__deepcopy__", [](const Money& m, const py::dict&) { return m; }, py::arg("memo"),
      "The same value (amounts are immutable).");
  cls.def(py::pickle(
      [](const Money& m) {
        return py::make_tuple(m.minor_units(), std::string(m.currency().code()));
      },
      [](const py::tuple& state) {
        return Money(state[0].cast<std::int64_t>(), Currency(state[1].cast<std::string>()));
      }));
}

void bind_exchange_rate(py::module_& core) {
  py::class_<ExchangeRate> cls(core, "ExchangeRate", R"doc(An exchange rate valid on a date: one unit of ``from_`` is worth ``rate`` units of ``to``.

The rate is a decimal string kept exact (up to 12 decimals); a ``decimal.Decimal`` is accepted and
stored as its text. (The C++ field ``from`` is ``from_`` in Python, ``from`` being a keyword.)
Fields are values: reading one gives a copy.)doc");
  cls.def(py::init([](const CurrencyArg& from, const CurrencyArg& to, Date date,
                      const py::object& rate) {
            return ExchangeRate{from.get(), to.get(), date, rate_text(rate)};
          }),
          py::kw_only(), py::arg("from_"), py::arg("to"), py::arg("date"), py::arg("rate"),
          "A rate from ``from_`` to ``to`` on ``date`` (a ``datetime.date``); ``rate`` a decimal "
          "str such as ``'1.0842'`` or a ``decimal.Decimal``. The rate is checked by ``convert``.");
  cls.def_property(
      "from_", [](const ExchangeRate& r) { return r.from; },
      [](ExchangeRate& r, const CurrencyArg& c) { r.from = c.get(); }, "Source currency.");
  cls.def_property(
      "to", [](const ExchangeRate& r) { return r.to; },
      [](ExchangeRate& r, const CurrencyArg& c) { r.to = c.get(); }, "Target currency.");
  value_field(cls, "date", &ExchangeRate::date, "Day the rate applies to (``datetime.date``).");
  cls.def_property(
      "rate", [](const ExchangeRate& r) { return r.rate; },
      [](ExchangeRate& r, const py::object& rate) { r.rate = rate_text(rate); },
      "Decimal rate as text, e.g. ``'1.0842'``; must be > 0 (checked by ``convert``).");
  cls.def(
      "__eq__",
      [](const ExchangeRate& a, const ExchangeRate& b) {
        return a.from == b.from && a.to == b.to && a.date == b.date && a.rate == b.rate;
      },
      py::is_operator(), py::arg("other"), "Field-wise equality.");
  cls.def(
      "__ne__",
      [](const ExchangeRate& a, const ExchangeRate& b) {
        return !(a.from == b.from && a.to == b.to && a.date == b.date && a.rate == b.rate);
      },
      py::is_operator(), py::arg("other"), "Field-wise inequality.");
  cls.attr("__hash__") = py::none();
  cls.def(
      "__copy__", [](const ExchangeRate& r) { return r; }, "A copy.");
  cls.def(
      "__deepcopy__", [](const ExchangeRate& r, const py::dict&) { return r; }, py::arg("memo"),
      "A copy.");
  cls.def("__reduce__", &reduce_by_fields,
          "Pickles as the keyword constructor call that rebuilds the rate from its fields.");
  cls.def(
      "__repr__",
      [](const ExchangeRate& r) {
        return "ExchangeRate(from_='" + std::string(r.from.code()) + "', to='" +
               std::string(r.to.code()) + "', date='" + format_date(r.date) + "', rate='" +
               r.rate + "')";
      },
      "``ExchangeRate(from_='EUR', to='USD', date='2024-01-02', rate='1.0842')``.");

  core.def("convert", &convert, py::arg("amount"), py::arg("rate"),
           R"doc(Converts ``amount`` with ``rate``, rounding half to even to the target's minor unit.

Exact: computed with integer arithmetic on the decimal rate.

Raises:
    crmkit.ValidationError: when the amount's currency is not ``rate.from_``, the rate text is not
        a positive decimal, or the result overflows.)doc");
}

void bind_time(py::module_& core) {
  core.def(
      "parse_timestamp",
      [](std::string_view text, std::string_view field) { return parse_timestamp(text, field); },
      py::arg("text"), py::arg("field") = "timestamp",
      R"doc(Parses an ISO 8601 / RFC 3339 timestamp strictly into an aware UTC ``datetime.datetime``.

Accepted: ``YYYY-MM-DDTHH:MM[:SS[.f{1,6}]][Z|±HH:MM]``, where ``T`` may also be a single space. A
timestamp without an offset is taken as UTC. Fields must be zero-padded and in range (no 24:00,
no leap second, no 30 February). A bare date ``YYYY-MM-DD`` means its midnight UTC.

Raises:
    crmkit.ParseError: naming ``field``, the text and the first rule it broke (``.column``).)doc");
  core.def("format_timestamp", &format_timestamp, py::arg("t"),
           "Formats as ``YYYY-MM-DDTHH:MM:SSZ``, or with ``.ffffff`` when the sub-second part is "
           "not zero. ``t`` is an aware datetime (converted to UTC) or an ISO 8601 str.");
  core.def(
      "parse_date",
      [](std::string_view text, std::string_view field) { return parse_date(text, field); },
      py::arg("text"), py::arg("field") = "date",
      R"doc(Parses a strict ISO 8601 calendar date ``YYYY-MM-DD`` (years 0001 to 9999) into a ``datetime.date``.

Raises:
    crmkit.ParseError: naming ``field``, the text and the rule.)doc");
  core.def("format_date", &format_date, py::arg("d"), "Formats as ``YYYY-MM-DD``.");
  core.def("date_of", &date_of, py::arg("t"), "The UTC calendar day a timestamp falls on.");
  core.def("start_of", &start_of, py::arg("d"),
           "Midnight UTC at the start of a day, as an aware ``datetime.datetime``.");
  core.def("now", &now, "The current time (aware UTC ``datetime.datetime``), truncated to microseconds.");
}

void bind_contact(py::module_& core) {
  py::class_<Email> email(core, "Email", R"doc(A syntactically valid email address, normalized.

Surrounding blanks are trimmed and the domain lower-cased (the local part keeps its case, as RFC
5321 allows it to matter). Rules: one ``@``; local part of 1 to 64 characters from RFC 5322
``atext`` and dots, with no leading, trailing or doubled dot; domain of 1 to 253 characters, at
least two dot-separated labels of letters, digits and inner hyphens (1 to 63 each), the last one
alphabetic. Quoted local parts and IP-literal domains are rejected on purpose. ``str(e)`` is the
normalized address. Immutable, hashable, ordered by the normalized text.)doc");
  email.def(py::init([](std::string_view text, std::string_view field) { return Email(text, field); }),
            py::arg("text"), py::arg("field") = "email",
            "Validates and normalizes.\n\nRaises:\n    crmkit.ValidationError: (field ``email`` "
            "unless ``field`` says otherwise) naming the broken rule.");
  email.def_property_readonly(
      "local_part", [](const Email& e) { return std::string(e.local_part()); },
      "The local part (before ``@``).");
  email.def_property_readonly(
      "domain", [](const Email& e) { return std::string(e.domain()); },
      "The lower-cased domain (after ``@``).");
  email.def("lookup_key", &Email::lookup_key,
            "The fully lower-cased address: the key under which lookups match, since in practice "
            "mail providers treat local parts case-insensitively.");
  email.def("__str__", &Email::str, "The normalized address.");
  email.def(
      "__repr__", [](const Email& e) { return "Email(" + repr_of(e.str()) + ")"; },
      "``Email('ada@example.org')``.");

  py::class_<Phone> phone(core, "Phone", R"doc(A phone number in an E.164-like canonical form: ``+``, the country calling code and the national significant number, digits only (e.g. ``+33612345678``).

Input may contain blanks, dots, hyphens, slashes and parentheses. It may start with ``+`` or the
international prefix ``00``; otherwise it is a national number of ``default_region`` (ISO 3166
alpha-2, e.g. ``FR``), whose trunk prefix (``0`` in most of Europe, ``1`` in NANP) is removed. The
canonical form has 8 to 15 digits. ``str(p)`` is the canonical form. Immutable, hashable, ordered
by the canonical form.)doc");
  phone.def(py::init([](std::string_view text, std::string_view default_region,
                        std::string_view field) { return Phone(text, default_region, field); }),
            py::arg("text"), py::arg("default_region") = "", py::arg("field") = "phone",
            R"doc(Validates and normalizes.

Args:
    text: the number as typed.
    default_region: ISO 3166 alpha-2 region for national numbers; empty means the number must be
        international.
    field: the name reported in errors.

Raises:
    crmkit.ValidationError: naming the broken rule; also for an unknown ``default_region``.)doc");
  phone.def_static(
      "calling_code",
      [](std::string_view region) { return std::string(Phone::calling_code(region)); },
      py::arg("region"),
      "The calling code of an ISO 3166 alpha-2 region (e.g. ``'33'`` for ``FR``), empty when "
      "unknown.");
  phone.def("__str__", &Phone::str, "The canonical form, e.g. ``+33612345678``.");
  phone.def(
      "__repr__", [](const Phone& p) { return "Phone(" + repr_of(p.str()) + ")"; },
      "``Phone('+33612345678')``.");

  const auto ordered = [](auto& cls, auto tag) {
    using T = decltype(tag);
    cls.def(
        "__eq__", [](const T& a, const T& b) { return a == b; }, py::is_operator(),
        py::arg("other"), "Compares the normalized text.");
    cls.def(
        "__ne__", [](const T& a, const T& b) { return a != b; }, py::is_operator(),
        py::arg("other"), "Compares the normalized text.");
    cls.def(
        "__lt__", [](const T& a, const T& b) { return a < b; }, py::is_operator(),
        py::arg("other"), "Orders by the normalized text.");
    cls.def(
        "__le__", [](const T& a, const T& b) { return a <= b; }, py::is_operator(),
        py::arg("other"), "Orders by the normalized text.");
    cls.def(
        "__gt__", [](const T& a, const T& b) { return a > b; }, py::is_operator(),
        py::arg("other"), "Orders by the normalized text.");
    cls.def(
        "__ge__", [](const T& a, const T& b) { return a >= b; }, py::is_operator(),
        py::arg("other"), "Orders by the normalized text.");
    cls.def(
        "__hash__", [](const T& a) { return py::hash(py::str(a.str())); },
        "Hash of the normalized text.");
    cls.def(
        "__copy__", [](const T& a) { return a; }, "The same value (immutable).");
    cls.def(
        "__deepcopy__", [](const T& a, const py::dict&) { return a; }, py::arg("memo"),
        "The same value (immutable).");
    // The normalized text validates again to itself.
    cls.def(py::pickle([](const T& a) { return py::make_tuple(a.str()); },
                       [](const py::tuple& state) { return T(state[0].cast<std::string>()); }));
  };
  ordered(email, Email("a@b.cd"));
  ordered(phone, Phone("+33612345678"));
}

void bind_attributes(py::module_& core) {
  core.def("attribute_type_name",
           [](const AttributeArg& value) { return std::string(attribute_type_name(value.value)); },
           py::arg("value"),
           "The type name of an attribute value: ``null``, ``bool``, ``integer``, ``double``, "
           "``string``, ``timestamp``.\n\nAttribute values are ``None``, ``bool``, ``int`` (64-bit), "
           "``float``, ``str`` or an aware ``datetime.datetime``.");
  core.def(
      "attribute_to_string",
      [](const AttributeArg& value) { return attribute_to_string(value.value); },
      py::arg("value"),
           "Renders a value as text: ``null``, ``true``/``false``, decimal integer, shortest "
           "round-trip double, the string itself, or an ISO 8601 timestamp.");
  core.def(
      "validate_attributes",
      [](const AttributesArg& attributes, std::string_view field) {
        validate_attributes(attributes.value, field);
      },
      py::arg("attributes"), py::arg("field"),
           R"doc(Checks every attribute name and value.

Names are 1 to 64 characters of ``[a-z0-9_.-]`` starting with a letter; doubles must be finite.

Args:
    attributes: a dict from name to ``None``, ``bool``, ``int``, ``float``, ``str`` or aware
        ``datetime.datetime``.
    field: prefix for error field names, e.g. ``customer.attributes``.

Raises:
    crmkit.ValidationError: naming ``field[name]``, the value and the rule.)doc");
}

}  // namespace

void init_core(py::module_& core) {
  bind_currency(core);
  bind_money(core);
  bind_exchange_rate(core);
  bind_time(core);
  bind_contact(core);
  bind_attributes(core);
}

}  // namespace crmkit::python
