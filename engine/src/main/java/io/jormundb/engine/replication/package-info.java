/**
 * Leader/follower replication inside the engine, without HTTP: the leader's side reads its
 * write-ahead log as {@link io.jormundb.engine.replication.WalBatch}es ({@link
 * io.jormundb.engine.replication.Wal}); the follower's side applies them and keeps its in-memory
 * state (catalog, partition heads, commit frontier) in step ({@link
 * io.jormundb.engine.replication.Replica}). Only the column families that are shipped ({@link
 * io.jormundb.engine.codec.Family#shipped()}) travel; node-local state never does.
 */
package io.jormundb.engine.replication;
