"""Every binding error kind of facts/powershell-binding.md on the two seed cmdlets.

Each case asserts the exact message, the category and the FullyQualifiedErrorId. Messages are
PowerShell's ParameterBinderStrings as quoted in the facts; the FQID suffix is the function name
for Mg (an advanced function) and the .NET type for PnP (a compiled cmdlet).
"""

from __future__ import annotations

import pytest

from tests.binder.helpers import MG, MG_TYPE, PNP, PNP_TYPE, bind_error

NOT_FOUND = "A parameter cannot be found that matches parameter name '{}'."
POSITIONAL = "A positional parameter cannot be found that accepts argument '{}'."
MISSING_ARG = "Missing an argument for parameter '{}'. Specify a parameter of type '{}' and try again."
AMBIGUOUS = "Parameter cannot be processed because the parameter name '{}' is ambiguous. Possible matches include:{}."
AMBIGUOUS_SET = ("Parameter set cannot be resolved using the specified named parameters. One or more parameters "
                 "issued cannot be used together or an insufficient number of parameters were provided.")
MISSING_MANDATORY = "Cannot process command because of one or more missing mandatory parameters:{}."
ALREADY_BOUND = ("Cannot bind parameter because parameter '{}' is specified more than once. To provide multiple "
                 "values to parameters that can accept multiple values, use the array syntax. For example, "
                 '"-parameter value1,value2,value3".')
TRANSFORM = "Cannot process argument transformation on parameter '{}'. {}"
NO_MESSAGE = "Cannot bind parameter '{}'. {}"
CONVERT = 'Cannot convert value "{}" to type "{}". Error: "{}"'
FORMAT = "The input string '{}' was not in a correct format."
OVERFLOW = "Value was either too large or too small for an Int32."
DATETIME = "String '{}' was not recognized as a valid DateTime."
BOOL = ('Cannot convert value "{}" to type "System.Management.Automation.SwitchParameter". Boolean parameters '
        "accept only Boolean values and numbers, such as $True, $False, 1 or 0.")
EMPTY = "Cannot bind argument to parameter '{}' because it is an empty string."
NULL = "Cannot bind argument to parameter '{}' because it is null."
SWITCH_COMPILED = "Cannot convert 'System.String' to the type 'System.Management.Automation.SwitchParameter' required by parameter '{}'. "
ACTION = ('Cannot convert value "foo" to type "System.Management.Automation.ActionPreference". Error: "Unable to '
          "match the identifier name foo to a valid enumerator name. Specify one of the following enumerator "
          'names and try again:\nSilentlyContinue, Stop, Continue, Inquire, Ignore, Suspend, Break"')
HT = "System.Collections.Hashtable"

CASES = [
    # --- Mg (advanced function) --------------------------------------------------------------
    ("mg-not-found", MG, ["-UserId", "x", "-Foo", "1"], "NamedParameterNotFound", "InvalidArgument",
     NOT_FOUND.format("Foo")),
    ("mg-not-found-colon", MG, ["-UserId", "x", "-Foo:1"], "NamedParameterNotFound", "InvalidArgument",
     NOT_FOUND.format("Foo")),
    ("mg-not-found-typo", MG, ["-UserID", "x", "-LifetimeInMinute5", "60"], "NamedParameterNotFound",
     "InvalidArgument", NOT_FOUND.format("LifetimeInMinute5")),
    ("mg-switch-value-positional", MG, ["-UserId", "x", "-IsUsableOnce", "$false"],
     "PositionalParameterNotFound", "InvalidArgument", POSITIONAL.format("False")),
    ("mg-positional-off", MG, ["x"], "PositionalParameterNotFound", "InvalidArgument", POSITIONAL.format("x")),
    ("mg-positional-extra", MG, ["-UserId", "x", "extra"], "PositionalParameterNotFound", "InvalidArgument",
     POSITIONAL.format("extra")),
    ("mg-double-dash", MG, ["-UserId", "x", "--", "-LifetimeInMinutes"], "PositionalParameterNotFound",
     "InvalidArgument", POSITIONAL.format("-LifetimeInMinutes")),
    ("mg-missing-arg-last", MG, ["-UserId"], "MissingArgument", "InvalidArgument",
     MISSING_ARG.format("UserId", "System.String")),
    ("mg-missing-arg-next-param", MG, ["-UserId", "-LifetimeInMinutes", "5"], "MissingArgument",
     "InvalidArgument", MISSING_ARG.format("UserId", "System.String")),
    ("mg-missing-arg-next-colon", MG, ["-UserId", "-Foo:1"], "MissingArgument", "InvalidArgument",
     MISSING_ARG.format("UserId", "System.String")),
    ("mg-missing-arg-int", MG, ["-UserId", "x", "-LifetimeInMinutes"], "MissingArgument", "InvalidArgument",
     MISSING_ARG.format("LifetimeInMinutes", "System.Int32")),
    ("mg-missing-arg-datetime", MG, ["-UserId", "x", "-Start"], "MissingArgument", "InvalidArgument",
     MISSING_ARG.format("StartDateTime", "System.DateTime")),
    ("mg-missing-arg-common", MG, ["-UserId", "x", "-ea"], "MissingArgument", "InvalidArgument",
     MISSING_ARG.format("ErrorAction", "System.Management.Automation.ActionPreference")),
    ("mg-missing-arg-hashtable", MG, ["-UserId", "x", "-AdditionalProperties"], "MissingArgument",
     "InvalidArgument", MISSING_ARG.format("AdditionalProperties", HT)),
    ("mg-ambiguous-isu", MG, ["-UserId", "x", "-IsU"], "AmbiguousParameter", "InvalidArgument",
     AMBIGUOUS.format("IsU", " -IsUsable -IsUsableOnce")),
    ("mg-ambiguous-inf", MG, ["-UserId", "x", "-Inf", "Continue"], "AmbiguousParameter", "InvalidArgument",
     AMBIGUOUS.format("Inf", " -InformationAction -InformationVariable")),
    ("mg-ambiguous-p", MG, ["-UserId", "x", "-P", "y"], "AmbiguousParameter", "InvalidArgument",
     AMBIGUOUS.format("P", " -Proxy -ProxyCredential -ProxyUseDefaultCredentials -ProgressAction -PipelineVariable")),
    ("mg-ambiguous-w", MG, ["-UserId", "x", "-W"], "AmbiguousParameter", "InvalidArgument",
     AMBIGUOUS.format("W", " -WarningAction -WarningVariable -WhatIf")),
    ("mg-ambiguous-before-missing-arg", MG, ["-IsU", "-UserId"], "AmbiguousParameter", "InvalidArgument",
     AMBIGUOUS.format("IsU", " -IsUsable -IsUsableOnce")),
    ("mg-set-userid-inputobject", MG, ["-UserId", "x", "-InputObject", '@{UserId="u1"}'],
     "AmbiguousParameterSet", "InvalidArgument", AMBIGUOUS_SET),
    ("mg-set-body-alone", MG, ["-BodyParameter", "@{ lifetimeInMinutes = 60 }"], "AmbiguousParameterSet",
     "InvalidArgument", AMBIGUOUS_SET),
    ("mg-set-inputobject-userid-expanded", MG, ["-In", '@{UserId="u1"}', "-UserId", "x", "-Life", "60"],
     "AmbiguousParameterSet", "InvalidArgument", AMBIGUOUS_SET),
    ("mg-nothing", MG, [], "MissingMandatoryParameter", "InvalidArgument", MISSING_MANDATORY.format(" UserId")),
    ("mg-mandatory-missing-expanded", MG, ["-LifetimeInMinutes", "60", "-IsUsableOnce"],
     "MissingMandatoryParameter", "InvalidArgument", MISSING_MANDATORY.format(" UserId")),
    ("mg-already-bound", MG, ["-UserId", "x", "-UserId", "y"], "ParameterAlreadyBound", "InvalidArgument",
     ALREADY_BOUND.format("UserId")),
    ("mg-already-bound-colon-typed", MG, ["-UserId:x", "-User:y"], "ParameterAlreadyBound", "InvalidArgument",
     ALREADY_BOUND.format("User")),
    ("mg-already-bound-switch", MG, ["-UserId", "x", "-IsUsableOnce", "-IsUsableOnce:$false"],
     "ParameterAlreadyBound", "InvalidArgument", ALREADY_BOUND.format("IsUsableOnce")),
    ("mg-int-abc", MG, ["-UserId", "x", "-LifetimeInMinutes", "abc"], "ParameterArgumentTransformationError",
     "InvalidData", TRANSFORM.format("LifetimeInMinutes",
                                     CONVERT.format("abc", "System.Int32", FORMAT.format("abc")))),
    ("mg-int-example-invalid", MG, ["-UserId", "x", "-LifetimeInMinutes", "exampleInvalidParam"],
     "ParameterArgumentTransformationError", "InvalidData",
     TRANSFORM.format("LifetimeInMinutes", CONVERT.format("exampleInvalidParam", "System.Int32",
                                                         FORMAT.format("exampleInvalidParam")))),
    ("mg-int-overflow", MG, ["-UserId", "x", "-LifetimeInMinutes", "99999999999"],
     "ParameterArgumentTransformationError", "InvalidData",
     TRANSFORM.format("LifetimeInMinutes", CONVERT.format("99999999999", "System.Int32", OVERFLOW))),
    ("mg-int-overflow-double", MG, ["-UserId", "x", "-LifetimeInMinutes", "1e10"],
     "ParameterArgumentTransformationError", "InvalidData",
     TRANSFORM.format("LifetimeInMinutes", CONVERT.format("10000000000", "System.Int32", OVERFLOW))),
    ("mg-int-overflow-hex", MG, ["-UserId", "x", "-LifetimeInMinutes", "0x1FFFFFFFF"],
     "ParameterArgumentTransformationError", "InvalidData",
     TRANSFORM.format("LifetimeInMinutes", CONVERT.format("8589934591", "System.Int32", OVERFLOW))),
    ("mg-datetime-garbage", MG, ["-UserId", "x", "-StartDateTime", "garbage"],
     "ParameterArgumentTransformationError", "InvalidData",
     TRANSFORM.format("StartDateTime", CONVERT.format("garbage", "System.DateTime", DATETIME.format("garbage")))),
    ("mg-datetime-bad-month", MG, ["-UserId", "x", "-StartDateTime", "2022-13-05"],
     "ParameterArgumentTransformationError", "InvalidData",
     TRANSFORM.format("StartDateTime", CONVERT.format("2022-13-05", "System.DateTime",
                                                      DATETIME.format("2022-13-05")))),
    ("mg-switch-string", MG, ["-UserId", "x", "-IsUsableOnce:abc"], "ParameterArgumentTransformationError",
     "InvalidData", TRANSFORM.format("IsUsableOnce", BOOL.format("System.String"))),
    ("mg-switch-hashtable", MG, ["-UserId", "x", "-IsUsable:@{a=1}"], "ParameterArgumentTransformationError",
     "InvalidData", TRANSFORM.format("IsUsable", BOOL.format(HT))),
    ("mg-string-array", MG, ["-UserId", "a,b"], "ParameterArgumentTransformationError", "InvalidData",
     TRANSFORM.format("UserId", "Cannot convert value to type System.String.")),
    ("mg-hashtable-from-word", MG, ["-UserId", "x", "-AdditionalProperties", "abc"],
     "ParameterArgumentTransformationError", "InvalidData",
     TRANSFORM.format("AdditionalProperties", f'Cannot convert the "abc" value of type "System.String" to type "{HT}".')),
    ("mg-empty-string", MG, ["-UserId", ""], "ParameterArgumentValidationErrorEmptyStringNotAllowed",
     "InvalidData", EMPTY.format("UserId")),
    ("mg-null-string", MG, ["-UserId:$null"], "ParameterArgumentValidationErrorEmptyStringNotAllowed",
     "InvalidData", EMPTY.format("UserId")),
    ("mg-null-inputobject", MG, ["-InputObject:$null"], "ParameterArgumentValidationErrorNullNotAllowed",
     "InvalidData", NULL.format("InputObject")),
    ("mg-null-body", MG, ["-UserId", "x", "-BodyParameter", "$null"],
     "ParameterArgumentValidationErrorNullNotAllowed", "InvalidData", NULL.format("BodyParameter")),
    ("mg-common-enum", MG, ["-UserId", "x", "-ea", "foo"], "CannotConvertArgumentNoMessage", "InvalidArgument",
     NO_MESSAGE.format("ErrorAction", ACTION)),
    ("mg-common-int", MG, ["-UserId", "x", "-OutBuffer", "abc"], "CannotConvertArgumentNoMessage",
     "InvalidArgument", NO_MESSAGE.format("OutBuffer", CONVERT.format("abc", "System.Int32", FORMAT.format("abc")))),
    ("mg-common-switch-string", MG, ["-UserId", "x", "-Confirm:abc"], "CannotConvertArgument", "InvalidArgument",
     SWITCH_COMPILED.format("Confirm")),
    # --- PnP (compiled cmdlet) -----------------------------------------------------------------
    ("pnp-whatif", PNP, ["-Identity", "x", "-WhatIf"], "NamedParameterNotFound", "InvalidArgument",
     NOT_FOUND.format("WhatIf")),
    ("pnp-confirm", PNP, ["-Identity", "x", "-Confirm"], "NamedParameterNotFound", "InvalidArgument",
     NOT_FOUND.format("Confirm")),
    ("pnp-wi-alias", PNP, ["-Identity", "x", "-wi"], "NamedParameterNotFound", "InvalidArgument",
     NOT_FOUND.format("wi")),
    ("pnp-positional", PNP, ["johndoe@contoso.onmicrosoft.com"], "PositionalParameterNotFound",
     "InvalidArgument", POSITIONAL.format("johndoe@contoso.onmicrosoft.com")),
    ("pnp-switch-value-positional", PNP, ["-Identity", "x", "-IsUsableOnce", "$true"],
     "PositionalParameterNotFound", "InvalidArgument", POSITIONAL.format("True")),
    ("pnp-nothing", PNP, [], "MissingMandatoryParameter", "InvalidArgument", MISSING_MANDATORY.format(" Identity")),
    ("pnp-int-abc", PNP, ["-Identity", "x", "-LifeTimeInMinutes", "abc"], "CannotConvertArgumentNoMessage",
     "InvalidArgument", NO_MESSAGE.format("LifeTimeInMinutes",
                                          CONVERT.format("abc", "System.Int32", FORMAT.format("abc")))),
    ("pnp-int-overflow", PNP, ["-Identity", "x", "-LifeTimeInMinutes", "2147483648"],
     "CannotConvertArgumentNoMessage", "InvalidArgument",
     NO_MESSAGE.format("LifeTimeInMinutes", CONVERT.format("2147483648", "System.Int32", OVERFLOW))),
    ("pnp-datetime-garbage", PNP, ["-Identity", "x", "-StartDateTime", "garbage"],
     "CannotConvertArgumentNoMessage", "InvalidArgument",
     NO_MESSAGE.format("StartDateTime", CONVERT.format("garbage", "System.DateTime", DATETIME.format("garbage")))),
    ("pnp-switch-string", PNP, ["-Identity", "x", "-IsUsableOnce:abc"], "CannotConvertArgument",
     "InvalidArgument", SWITCH_COMPILED.format("IsUsableOnce")),
    ("pnp-missing-arg-nullable", PNP, ["-Identity", "x", "-LifeTimeInMinutes"], "MissingArgument",
     "InvalidArgument", MISSING_ARG.format("LifeTimeInMinutes", "System.Nullable`1[System.Int32]")),
    ("pnp-missing-arg-identity", PNP, ["-Identity"], "MissingArgument", "InvalidArgument",
     MISSING_ARG.format("Identity", "PnP.PowerShell.Commands.Base.PipeBinds.EntraIDUserPipeBind")),
    ("pnp-already-bound", PNP, ["-Identity", "x", "-Identity", "y"], "ParameterAlreadyBound", "InvalidArgument",
     ALREADY_BOUND.format("Identity")),
    ("pnp-ambiguous-p", PNP, ["-Identity", "x", "-P", "y"], "AmbiguousParameter", "InvalidArgument",
     AMBIGUOUS.format("P", " -ProgressAction -PipelineVariable")),
    ("pnp-null-identity", PNP, ["-Identity:$null"], "ParameterArgumentValidationErrorNullNotAllowed",
     "InvalidData", NULL.format("Identity")),
    ("pnp-identity-hashtable", PNP, ["-Identity", "@{a=1}"], "CannotConvertArgumentNoMessage", "InvalidArgument",
     NO_MESSAGE.format("Identity", f'Cannot convert the "{HT}" value of type "{HT}" to type '
                                   '"PnP.PowerShell.Commands.Base.PipeBinds.EntraIDUserPipeBind".')),
    ("pnp-identity-array", PNP, ["-Identity", "a,b"], "CannotConvertArgument", "InvalidArgument",
     "Cannot convert 'System.Object[]' to the type 'PnP.PowerShell.Commands.Base.PipeBinds.EntraIDUserPipeBind' "
     "required by parameter 'Identity'. Specified method is not supported."),
]


@pytest.mark.parametrize(("case", "name", "argv", "error_id", "category", "message"), CASES,
                         ids=[c[0] for c in CASES])
def test_binding_error(case: str, name: str, argv: list[str], error_id: str, category: str, message: str) -> None:
    record = bind_error(name, *argv)
    assert record.message == message
    assert record.error_id == error_id
    assert record.category == category
    suffix = MG_TYPE if name == MG else PNP_TYPE
    assert record.fqid == f"{error_id},{suffix}"


def test_strict_mode_rejects_the_doc_spelling_like_real_pnp() -> None:
    record = bind_error(PNP, "-Identity", "x", "-IsUseableOnce:$true", strict=True)
    assert record.fqid == f"NamedParameterNotFound,{PNP_TYPE}"
    assert record.message == NOT_FOUND.format("IsUseableOnce")


def test_strict_mode_has_no_true_false_words() -> None:
    record = bind_error(PNP, "-Identity", "x", "-IsUsableOnce:true", strict=True)
    assert record.fqid == f"CannotConvertArgument,{PNP_TYPE}"


@pytest.mark.parametrize("name", [MG, PNP])
def test_bash_ate_the_switch_value(name: str) -> None:
    ident = "-UserId" if name == MG else "-Identity"
    record = bind_error(name, ident, "x", "-IsUsableOnce:")
    assert record.error_id == "ArgumentExpandedByShell"
    assert "-IsUsableOnce:'$false'" in record.message
    assert "-IsUsableOnce:false" in record.message


def test_compat_alias_is_never_a_prefix_candidate() -> None:
    record = bind_error(PNP, "-Identity", "x", "-IsUseable")
    assert record.message == NOT_FOUND.format("IsUseable")


def test_mg_identity_from_plain_text_is_null_like_autorests_type_converter() -> None:
    record = bind_error(MG, "-InputObject", "user@contoso.com")
    assert record.fqid == f"ParameterArgumentValidationErrorNullNotAllowed,{MG_TYPE}"
    assert record.message == NULL.format("InputObject")
