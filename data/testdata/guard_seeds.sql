-- Seeds of FuzzCheckQuery and cases of TestCheckQuery: one statement text
-- a line, "ok " before the ones CheckQuery accepts, "no " before those it
-- refuses. \n in a line is a newline.
ok SELECT * FROM runs
ok SELECT run_id, name FROM run_summary ORDER BY started_at DESC LIMIT 5
ok FROM runs
ok WITH r AS (SELECT * FROM runs) SELECT count(*) FROM r
ok SELECT * FROM range(3)
ok VALUES (1, 2)
ok DESCRIBE runs
ok SHOW TABLES
ok SUMMARIZE runs
ok SELECT 1 -- COPY runs TO 'x.csv'
ok /* ATTACH 'x' */ SELECT 1;
ok SELECT 'COPY (SELECT 1) TO ''x''' AS s
ok SELECT * FROM duckdb_tables()
ok SELECT unnest([1, 2, 3])
ok SELECT * FROM runs r JOIN kpis k USING (run_id) WHERE k.value > (SELECT avg(value) FROM kpis)
no COPY (SELECT 'x') TO 'aiecon.duckdb'
no COPY runs FROM 'x.csv'
no /* hi */ COPY runs TO 'x.csv'
no SELECT 1; COPY runs TO 'x.csv'
no SELECT 1; SELECT 2
no EXPORT DATABASE 'dir'
no IMPORT DATABASE 'dir'
no ATTACH 'other.duckdb' AS o (READ_WRITE)
no DETACH o
no USE o
no SELECT * FROM read_csv('/etc/passwd')
no SELECT * FROM read_csv_auto('/etc/passwd')
no SELECT * FROM read_text('/etc/passwd')
no SELECT * FROM read_blob('/etc/passwd')
no SELECT * FROM read_parquet('x.parquet')
no SELECT * FROM read_json('x.json')
no SELECT * FROM parquet_scan('x.parquet')
no SELECT * FROM glob('/root/**')
no SELECT * FROM '/etc/passwd'
no SELECT * FROM 'x.csv'
no SELECT * FROM "READ_CSV"('/etc/passwd')
no WITH f AS (SELECT * FROM read_text('/etc/passwd')) SELECT * FROM f
no SELECT (SELECT content FROM read_text('/etc/passwd'))
no SELECT * FROM runs WHERE name IN (SELECT file FROM glob('*'))
no FROM query('SELECT 1')
no FROM query_table('runs')
no SELECT * FROM checkpoint()
no SELECT * FROM force_checkpoint()
no CALL checkpoint()
no CHECKPOINT
no SET threads = 1
no SET enable_external_access = true
no RESET threads
no PRAGMA version
no INSTALL httpfs
no FORCE INSTALL httpfs
no LOAD httpfs
no INSERT INTO runs (run_id) VALUES ('x')
no UPDATE runs SET name = 'x'
no DELETE FROM runs
no DROP TABLE runs
no CREATE TABLE t AS SELECT 1
no CREATE SECRET (TYPE s3)
no SELECT nextval('s')
no SELECT getenv('HOME')
no PIVOT runs ON status
no EXPLAIN SELECT 1
no VACUUM
no BEGIN TRANSACTION
no SELEC 1
no
