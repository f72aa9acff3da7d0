package io.jormundb.streams.feed;

import io.jormundb.engine.catalog.TableDefinition;

/** What the live tail hands a subscription: a change, a deleted table, or the end. */
sealed interface Signal permits Signal.Change, Signal.TableDeleted, Signal.Shutdown {
    record Change(ChangeEvent event) implements Signal {
    }

    record TableDeleted(TableDefinition table) implements Signal {
    }

    record Shutdown() implements Signal {
    }
}
