package io.jormundb.streams.feed;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.Position;

/** What the live tail hands a subscription: a change, a deleted table, or the end. */
sealed interface Signal permits Signal.Change, Signal.TableDeleted, Signal.Shutdown {
    record Change(ChangeEvent event) implements Signal {
    }

    /** {@code table} was deleted; {@code position} is its deletion's place in the changelog. */
    record TableDeleted(TableDefinition table, Position position) implements Signal {
    }

    record Shutdown() implements Signal {
    }
}
