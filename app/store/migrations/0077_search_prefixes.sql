-- Product search indexes prefixes of 1 to 6 letters (was 1 to 3). FTS5
-- answers a longer prefix ("agar", "maggi") by merging the whole list of
-- every word that starts with it before returning a row: on a million
-- products that was most of a search's time. A typed word of up to six
-- letters is now one indexed list read only as far as the 20 rows shown.
-- The index is built again once (on a million products, some seconds;
-- it grows by about half).
DROP TABLE product_fts;
CREATE VIRTUAL TABLE product_fts USING fts5(
  name, sku, content='products', content_rowid='rid',
  tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4 5 6'
);
INSERT INTO product_fts(product_fts) VALUES ('rebuild');
