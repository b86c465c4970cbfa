"""psycopg2._json: JSON support, the Json adapter and the json/jsonb typecasters (the code:
psycopg2._impl.types.json)."""
import json  # noqa: F401  (the names upstream's module has, imports included)

from ._impl.adapt import ISQLQuote  # noqa: F401
from ._impl.typecast import new_array_type, new_type, register_type  # noqa: F401
from ._impl.types.string import QuotedString  # noqa: F401
from ._impl.types.json import (  # noqa: F401
    JSON_OID, JSONARRAY_OID, JSONB_OID, JSONBARRAY_OID, Json, _create_json_typecasters,
    _get_json_oids, register_default_json, register_default_jsonb, register_json)
