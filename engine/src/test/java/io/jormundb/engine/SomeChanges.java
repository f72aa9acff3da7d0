package io.jormundb.engine;

import io.jormundb.engine.catalog.BillingMode;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.catalog.TableSpec;
import io.jormundb.engine.items.Items;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;

import java.util.List;
import java.util.Map;

/** Tables and items written through the engine's write path, so that its changelog holds their records. */
public final class SomeChanges {
    private SomeChanges() {
    }

    /** Creates table {@code name} (partition key {@code id}, two changelog partitions). */
    public static TableDefinition table(Engine engine, String name) {
        return engine.writePath().createTable(new TableSpec(name, List.of(new TableSpec.KeyElement("id", "HASH")),
                List.of(new TableSpec.AttributeDefinition("id", "S")), BillingMode.PAY_PER_REQUEST, 0, 0, null,
                List.of(), 2, null, null, false, null), engine.clock().millis());
    }

    /** Puts an item {@code id} holding {@code value}: one change record. */
    public static void put(Engine engine, TableDefinition table, String id, String value) {
        engine.writePath().write(Items.putMutation(table, item(id, value), null, false));
    }

    /** Deletes item {@code id}: one change record if it existed. */
    public static void delete(Engine engine, TableDefinition table, String id) {
        engine.writePath().write(Items.deleteMutation(table, key(id), null, false));
    }

    public static Item item(String id, String value) {
        return new Item(Map.of("id", new AttributeValue.S(id), "v", new AttributeValue.S(value)));
    }

    public static Item key(String id) {
        return new Item(Map.of("id", new AttributeValue.S(id)));
    }
}
