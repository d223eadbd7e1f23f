"""The crmkit exception hierarchy: real Python classes, translated from the C++ exceptions with
their attributes, usable in ``except``, subclassable and picklable."""

import copy
import datetime
import pickle

import pytest

import crmkit
from crmkit import _crmkit

ALL = [
    crmkit.Error,
    crmkit.ValidationError,
    crmkit.NotFoundError,
    crmkit.ConflictError,
    crmkit.StorageError,
    crmkit.ParseError,
    crmkit.FitError,
]


def test_hierarchy():
    for cls in ALL:
        assert issubclass(cls, crmkit.Error)
        assert issubclass(cls, Exception)
        assert cls.__module__ == "crmkit"
        assert cls.__doc__ and len(cls.__doc__.strip()) > 20
        assert getattr(crmkit, cls.__name__) is cls
        assert getattr(_crmkit.core, cls.__name__) is cls
    assert issubclass(crmkit.ValidationError, ValueError)
    assert issubclass(crmkit.ParseError, ValueError)
    assert issubclass(crmkit.NotFoundError, LookupError)
    assert not issubclass(crmkit.ConflictError, ValueError)
    assert not issubclass(crmkit.StorageError, ValueError)
    assert not issubclass(crmkit.FitError, ValueError)
    assert not issubclass(crmkit.Error, RuntimeError)


def raised(what):
    with pytest.raises(crmkit.Error) as info:
        _crmkit.core._throw_for_testing(what)
    return info.value


def test_validation_error_from_cpp():
    e = raised("validation")
    assert type(e) is crmkit.ValidationError
    assert isinstance(e, ValueError)
    assert (e.field, e.value, e.rule) == ("customer.emails[0]", "x@", "is not valid")
    # The C++ what(): `field: 'value' rule`.
    assert str(e) == "customer.emails[0]: 'x@' is not valid"


def test_not_found_error_from_cpp():
    e = raised("not_found")
    assert type(e) is crmkit.NotFoundError
    assert isinstance(e, LookupError)
    assert (e.entity, e.key) == ("customer", "42")
    assert "customer" in str(e) and "42" in str(e)


def test_conflict_error_from_cpp():
    e = raised("conflict")
    assert type(e) is crmkit.ConflictError
    assert (e.entity, e.key) == ("deal", "7")
    assert "version 3 is stale: the stored version is 4" in str(e)


def test_storage_error_from_cpp():
    e = raised("storage")
    assert type(e) is crmkit.StorageError
    assert e.kind is crmkit.StorageErrorKind.busy
    assert e.backend == "sqlite"
    assert e.native_code == 5
    assert str(e) == "sqlite storage error (busy): database is locked [native code 5]"


def test_parse_error_from_cpp():
    e = raised("parse")
    assert type(e) is crmkit.ParseError
    assert isinstance(e, ValueError)
    assert (e.source, e.line, e.column, e.value, e.rule) == (
        "data.csv",
        3,
        14,
        "2024-13-01",
        "is not a date",
    )
    assert "data.csv" in str(e) and "2024-13-01" in str(e)


def test_fit_error_and_plain_error_from_cpp():
    e = raised("fit")
    assert type(e) is crmkit.FitError
    assert str(e) == "cannot fit bgnbd: the optimizer failed"
    assert e.model == "bgnbd"
    e = raised("error")
    assert type(e) is crmkit.Error
    assert str(e) == "plain crmkit error"


def test_std_exceptions_keep_the_pybind11_mapping():
    with pytest.raises(ValueError, match="bad argument") as info:
        _crmkit.core._throw_for_testing("invalid_argument")
    assert not isinstance(info.value, crmkit.Error)
    with pytest.raises(IndexError, match="bad index"):
        _crmkit.core._throw_for_testing("out_of_range")
    # A std::runtime_error that is not a crmkit::Error stays a RuntimeError (crmkit itself never
    # throws one: every crmkit failure derives from crmkit::Error).
    with pytest.raises(RuntimeError) as info:
        _crmkit.core._throw_for_testing("other")
    assert not isinstance(info.value, crmkit.Error)


def test_storage_error_kind_enum():
    names = [m.value for m in crmkit.StorageErrorKind]
    # The members of C++ StorageError::Kind, in order (include/crmkit/core/error.hpp).
    assert names == [
        "io",
        "busy",
        "corrupt",
        "constraint",
        "schema",
        "transaction",
        "unsupported",
        "other",
    ]
    assert crmkit.StorageErrorKind.__module__ == "crmkit"
    assert crmkit.StorageErrorKind("io") is crmkit.StorageErrorKind.io


def test_real_errors_from_the_library():
    # ValidationError from a constructor.
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.Currency("eur")
    assert info.value.field == "currency"
    assert info.value.value == "eur"
    assert str(info.value).startswith("currency: 'eur' ")
    assert str(info.value) == f"currency: 'eur' {info.value.rule}"
    # ParseError from the timestamp caster and from parse_timestamp.
    with pytest.raises(crmkit.ParseError) as info:
        crmkit.parse_timestamp("2024-01-01T25:00:00Z", field="occurred_at")
    assert info.value.source == "occurred_at"
    assert info.value.value == "2024-01-01T25:00:00Z"
    assert info.value.column == 12  # the hour
    with pytest.raises(crmkit.ParseError):
        crmkit.Purchase(occurred_at="yesterday")
    # ValidationError from validate(), caught as a ValueError.
    try:
        crmkit.validate(crmkit.Customer(kind="organization"))
    except ValueError as e:
        assert isinstance(e, crmkit.ValidationError)
        assert e.field == "customer.legal_name"
    else:
        pytest.fail("an organization without a legal name must not validate")


def test_store_errors_when_the_storage_bindings_are_there():
    if not hasattr(crmkit, "open"):
        pytest.skip("the storage bindings (crmkit.open) are not built yet")
    with pytest.raises(crmkit.StorageError) as info:
        crmkit.open("no-such-backend:whatever")
    assert info.value.kind is crmkit.StorageErrorKind.unsupported


def test_catching_through_the_root_and_builtin_bases():
    for what, builtin in [
        ("validation", ValueError),
        ("parse", ValueError),
        ("not_found", LookupError),
        ("conflict", crmkit.Error),
        ("storage", crmkit.Error),
        ("fit", crmkit.Error),
    ]:
        with pytest.raises(builtin):
            _crmkit.core._throw_for_testing(what)


def test_constructible_and_subclassable_in_python():
    e = crmkit.ValidationError("x: 'y' z", "x", "y", "z")
    assert (str(e), e.field, e.value, e.rule) == ("x: 'y' z", "x", "y", "z")
    e = crmkit.StorageError("boom", kind=crmkit.StorageErrorKind.io, backend="mine", native_code=9)
    assert (e.kind, e.backend, e.native_code) == (crmkit.StorageErrorKind.io, "mine", 9)

    class MyError(crmkit.ValidationError):
        pass

    with pytest.raises(crmkit.ValidationError) as info:
        raise MyError("m", field="f")
    assert info.value.field == "f"
    with pytest.raises(crmkit.Error):
        raise crmkit.ConflictError("c", entity="deal", key="1")


@pytest.mark.parametrize(
    "what", ["validation", "not_found", "conflict", "storage", "parse", "fit", "error"]
)
def test_pickle_and_copy_keep_class_message_and_attributes(what):
    e = raised(what)
    for clone in (pickle.loads(pickle.dumps(e)), copy.copy(e), copy.deepcopy(e)):
        assert type(clone) is type(e)
        assert str(clone) == str(e)
        assert clone.__dict__ == e.__dict__


def test_errors_inside_domain_conversions_name_the_argument():
    # A naive datetime is a ValueError (not a crmkit error): crmkit times are UTC.
    with pytest.raises(ValueError, match="naive"):
        crmkit.Customer(created_at=datetime.datetime(2024, 1, 1))
    # A bad enum text lists the allowed names.
    with pytest.raises(ValueError, match="person, organization"):
        crmkit.Customer(kind="robot")
