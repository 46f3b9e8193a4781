-- 0032_sweep_shards: sweep_shards, which shards of a sweep a store ran.
--
-- `aiecon sweep --shard i/n` writes its shard's runs to a store of its
-- own, and the sweep row is every shard's (they derive one id), so
-- nothing told a shard's store from a whole sweep's that lacked runs:
-- doctor noted every complete shard's sweep as unfinished, "in a shard's
-- store, the other shards' runs are elsewhere". A sweep now records the
-- shard each run of the command ran, and merge copies the rows, so a store
-- of every shard merged records them all. A sweep stored before this
-- version, or by optimize (which shards nothing), has no row, and doctor
-- notes it as before.

CREATE TABLE IF NOT EXISTS sweep_shards (
    sweep_id VARCHAR NOT NULL,
    shard    INTEGER NOT NULL,
    shards   INTEGER NOT NULL,
    PRIMARY KEY (sweep_id, shard, shards)
);
COMMENT ON TABLE sweep_shards IS 'The shards of each sweep that this store ran (aiecon sweep --shard i/n; 0 of 1 for a sweep run whole) or had merged into it: a shard holds the points p with p mod shards = shard; no row for a sweep stored before schema version 32 or made by optimize';
COMMENT ON COLUMN sweep_shards.sweep_id IS '[id] sweep';
COMMENT ON COLUMN sweep_shards.shard IS '[index] the shard, 0-based';
COMMENT ON COLUMN sweep_shards.shards IS '[count] the shards the sweep was split into (1: run whole)';
