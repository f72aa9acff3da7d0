package io.jormundb.streams.log;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.engine.changelog.Position;

/** What the changelog holds at one position: a change of an item, or a table's deletion. */
public sealed interface Entry permits Entry.Change, Entry.TableDeleted {
    Position position();

    /** The table the entry belongs to (live, or retired once deleted). */
    TableDefinition table();

    record Change(TableDefinition table, ChangeRecord record) implements Entry {
        @Override
        public Position position() {
            return record.position();
        }
    }

    record TableDeleted(TableDefinition table, Position position) implements Entry {
    }
}
