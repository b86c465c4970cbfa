"""psycopg2._range: range types, the Range classes with their adapters and typecasters (the
code: psycopg2._impl.types.ranges)."""
# The names upstream's module has, imports included.
import re  # noqa: F401

from ._impl.adapt import ISQLQuote, adapt, register_adapter  # noqa: F401
from ._impl.exceptions import InterfaceError, ProgrammingError  # noqa: F401
from ._impl.typecast import new_array_type, new_type, register_type  # noqa: F401
from ._impl.types.ranges import (  # noqa: F401
    DateRange, DateTimeRange, DateTimeTZRange, NumberRangeAdapter, NumericRange, Range,
    RangeAdapter, RangeCaster, daterange_caster, int4range_caster, int8range_caster,
    numrange_caster, register_range, tsrange_caster, tstzrange_caster)
