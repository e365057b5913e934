-- Deleted products, for the catalogue's count (store.CountProducts): the
-- largest row id and the number of deleted products change whenever the
-- number of live ones can, so the count of a million products is taken
-- again only when one of them has changed.
CREATE INDEX products_gone ON products(deleted) WHERE deleted <> 0;
