//! OpenAPI schemas of the two types that serialize by hand (feature `openapi`, for the server's
//! `/api/openapi.json`): what they look like on the wire, not what Rust holds.

use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::{Block, Body, Timestamp};

impl PartialSchema for Timestamp {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some("An RFC 3339 time, e.g. `2026-11-27T08:30:00Z`."))
            .into()
    }
}

impl ToSchema for Timestamp {}

/// A body is written as the plain array of its blocks (the blocks it skipped when it was read
/// are not sent).
impl PartialSchema for Body {
    fn schema() -> RefOr<Schema> {
        ArrayBuilder::new()
            .items(Block::schema_ref())
            .description(Some(
                "The article's blocks in order. A reader leaves out a block of a type it does not \
                 know, and shows the rest.",
            ))
            .into()
    }
}

impl ToSchema for Body {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((Block::name().into(), Block::schema()));
        <Block as ToSchema>::schemas(schemas);
    }
}

/// A reference to a type's component schema.
trait SchemaRef {
    fn schema_ref() -> RefOr<Schema>;
}

impl<T: ToSchema> SchemaRef for T {
    fn schema_ref() -> RefOr<Schema> {
        RefOr::Ref(utoipa::openapi::Ref::from_schema_name(T::name()))
    }
}
