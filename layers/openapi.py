"""The self-contained OpenAPI 3.0 definition of /ogc/ (no remote $ref)."""

from __future__ import annotations


def _param(name: str, description: str, schema: dict, style: str | None = None, explode: bool | None = None) -> dict:
    param = {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
    if style:
        param["style"] = style
    if explode is not None:
        param["explode"] = explode
    return param


PARAMETERS = {
    "f": _param("f", "Output format.", {"type": "string", "enum": ["json", "html"]}),
    "limit": _param("limit", "At most this many items per page (1 to 10000, default 10).",
                    {"type": "integer", "minimum": 1, "maximum": 10000, "default": 10}, "form", False),
    "bbox": _param("bbox", "minLon,minLat,maxLon,maxLat in CRS84 (6 numbers with heights are accepted).",
                   {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}, "form", False),
    "datetime": _param("datetime", "An instant or an interval (start/end, `..` for an open end) on the report date.",
                       {"type": "string"}, "form", False),
    "cursor": _param("cursor", "Keyset cursor from a `next` link.", {"type": "string"}),
    "category": _param("category", "Reports only: category codes, comma-separated.", {"type": "string"}),
    "status": _param("status", "Reports only: open, closed, or statuses, comma-separated.", {"type": "string"}),
    "local_government": _param("local_government", "Reports only: KOSTAT code of a local government or province.", {"type": "string"}),
    "offset": _param("offset", "Campaign collections only: skip this many items (then follow `next` links).",
                     {"type": "integer", "minimum": 0}),
    "properties": _param("properties", "Campaign collections only: public answer keys to show, comma-separated; a private one is a 400.",
                         {"type": "array", "items": {"type": "string"}}, "form", False),
    "collectionId": {"name": "collectionId", "in": "path", "required": True, "schema": {"type": "string"}},
    "featureId": {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _response(description: str, media: str, schema: str) -> dict:
    return {"description": description, "content": {media: {"schema": {"$ref": f"#/components/schemas/{schema}"}}, "text/html": {"schema": {"type": "string"}}}}


ERROR = {"description": "A client error.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/error"}}}}

SCHEMAS = {
    "link": {
        "type": "object", "required": ["href"],
        "properties": {"href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"}, "title": {"type": "string"}},
    },
    "landingPage": {"type": "object", "required": ["links"], "properties": {
        "title": {"type": "string"}, "description": {"type": "string"},
        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}}}},
    "confClasses": {"type": "object", "required": ["conformsTo"], "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}}},
    "collection": {"type": "object", "required": ["id", "links"], "properties": {
        "id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
        "extent": {"type": "object"}, "itemType": {"type": "string"}, "crs": {"type": "array", "items": {"type": "string"}}}},
    "collections": {"type": "object", "required": ["links", "collections"], "properties": {
        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
        "collections": {"type": "array", "items": {"$ref": "#/components/schemas/collection"}}}},
    "featureGeoJSON": {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
        "type": {"type": "string", "enum": ["Feature"]}, "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "geometry": {"type": "object", "nullable": True}, "properties": {"type": "object", "nullable": True},
        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}}}},
    "featureCollectionGeoJSON": {"type": "object", "required": ["type", "features"], "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"$ref": "#/components/schemas/featureGeoJSON"}},
        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
        "timeStamp": {"type": "string", "format": "date-time"},
        "numberMatched": {"type": "integer", "minimum": 0}, "numberReturned": {"type": "integer", "minimum": 0}}},
    "error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "fields": {"type": "object"}}}}},
}


def openapi_document(base_url: str, collection_ids: list[str]) -> dict:
    items_params = [_ref(name) for name in ("collectionId", "limit", "bbox", "datetime", "cursor", "category", "status", "local_government", "offset", "properties", "f")]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Dongne OGC API - Features",
            "version": "1.0.0",
            "description": "Public reports and Korea's local governments (OGC API - Features, Part 1 Core).",
            "license": {"name": "Reports: public data of Dongne; boundaries: KOSTAT 2018, KOGL Type 1"},
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/": {"get": {"summary": "Landing page", "operationId": "getLandingPage", "parameters": [_ref("f")],
                          "responses": {"200": _response("The landing page.", "application/json", "landingPage"), "400": ERROR}}},
            "/conformance": {"get": {"summary": "Conformance classes", "operationId": "getConformanceDeclaration", "parameters": [_ref("f")],
                                     "responses": {"200": _response("The conformance classes.", "application/json", "confClasses"), "400": ERROR}}},
            "/collections": {"get": {"summary": "Collections", "operationId": "getCollections", "parameters": [_ref("f")],
                                     "responses": {"200": _response("The feature collections.", "application/json", "collections"), "400": ERROR}}},
            "/collections/{collectionId}": {"get": {
                "summary": "A collection", "operationId": "describeCollection", "parameters": [_ref("collectionId"), _ref("f")],
                "responses": {"200": _response("The collection.", "application/json", "collection"), "404": ERROR}}},
            "/collections/{collectionId}/items": {"get": {
                "summary": "Features of a collection", "operationId": "getFeatures", "parameters": items_params,
                "description": "Collections: " + ", ".join(collection_ids) + ".",
                "responses": {"200": _response("A page of features.", "application/geo+json", "featureCollectionGeoJSON"), "400": ERROR, "404": ERROR}}},
            "/collections/{collectionId}/items/{featureId}": {"get": {
                "summary": "One feature", "operationId": "getFeature", "parameters": [_ref("collectionId"), _ref("featureId"), _ref("properties"), _ref("f")],
                "responses": {"200": _response("The feature.", "application/geo+json", "featureGeoJSON"), "404": ERROR}}},
            "/api": {"get": {"summary": "This API definition", "operationId": "getApiDefinition",
                             "responses": {"200": {"description": "The OpenAPI document.",
                                                   "content": {"application/vnd.oai.openapi+json;version=3.0": {"schema": {"type": "object"}}}}}}},
        },
        "components": {"parameters": PARAMETERS, "schemas": SCHEMAS},
    }
