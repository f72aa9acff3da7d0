package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.Cause;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.engine.expr.Placeholders;
import io.jormundb.engine.expr.Update;
import io.jormundb.engine.index.IndexEntries;
import io.jormundb.engine.items.Items;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.write.IdempotencyTokens;
import io.jormundb.engine.write.Mutation;
import io.jormundb.engine.write.WriteContext;
import io.jormundb.engine.write.WriteResult;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * TransactWriteItems: up to 100 Put / Update / Delete / ConditionCheck actions over several
 * tables, all or nothing in one write batch under the partition locks (taken by the write path
 * in one global order). A failed condition, or an invalid item or key, cancels the whole
 * transaction with one reason per action. A ClientRequestToken makes it idempotent for ten minutes (see
 * {@link IdempotencyTokens}): a replay of the same request writes nothing and is billed as the
 * transactional read of its items; the same token with other actions is a mismatch.
 */
final class TransactWriteItems implements Operation {
    private final Engine engine;

    TransactWriteItems(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        List<JsonNode> actions = Transactions.actions(request);
        String token = request.string("ClientRequestToken");
        if (token != null && (token.isEmpty() || token.length() > 36)) {
            throw DynamoException.validation("1 validation error detected: Value '" + token + "' at "
                    + "'clientRequestToken' failed to satisfy constraint: Member must have length "
                    + (token.isEmpty() ? "greater than or equal to 1" : "less than or equal to 36"));
        }
        Capacity capacity = Capacity.transactional(request);
        Capacity.checkItemCollectionMetrics(request);
        List<Mutation> mutations = new ArrayList<>();
        DuplicateKeys seen = new DuplicateKeys(Transactions.SAME_ITEM);
        long bytes = 0;
        int invalidAt = -1;
        String invalid = null;
        for (JsonNode action : actions) {
            Action a = action(new Request(action), seen);
            if (a.invalid() != null && invalid == null) {
                invalidAt = mutations.size();
                invalid = a.invalid();
            }
            mutations.add(a.mutation());
            bytes += a.bytes();
        }
        Transactions.checkSize(bytes);
        if (invalid != null) {
            throw invalidItem(mutations.size(), invalidAt, invalid);
        }
        if (token == null) {
            commit(mutations, capacity, List.of());
        } else {
            boolean committed = engine.writePath().idempotencyTokens().runOnce(token,
                    fingerprint(request.node("TransactItems")), put -> commit(mutations, capacity, List.of(put)));
            if (!committed) {
                billReplay(mutations, capacity);
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        capacity.renderAll(out);
        return out;
    }

    /** Commits the transaction, billing every action (ConditionCheck too) as a transactional write. */
    private void commit(List<Mutation> mutations, Capacity capacity, List<WriteContext.StatePut> statePuts) {
        WriteContext context = new WriteContext(UUID.randomUUID().toString(), Cause.USER, true, statePuts);
        List<WriteResult> results = engine.writePath().write(mutations, context);
        for (int i = 0; i < results.size(); i++) {
            WriteResult r = results.get(i);
            capacity.write(mutations.get(i).table().name(),
                    Capacity.transactionalWriteUnits(Capacity.writeSize(r.oldItem(), r.newItem())));
        }
    }

    /** A replay writes nothing; DynamoDB bills it as reading the transaction's items. */
    private void billReplay(List<Mutation> mutations, Capacity capacity) {
        if (!capacity.wanted()) {
            return;
        }
        List<Items.ItemRef> refs = new ArrayList<>(mutations.size());
        for (Mutation m : mutations) {
            refs.add(new Items.ItemRef(m.table(), m.key()));
        }
        List<Item> items = engine.items().getAll(refs);
        for (int i = 0; i < items.size(); i++) {
            capacity.read(refs.get(i).table().name(), Capacity.transactionalReadUnits(Capacity.size(items.get(i))));
        }
    }

    /**
     * One action of the transaction and the bytes of the item it writes or names (see
     * {@link Transactions#checkSize}); or, when its item or key breaks the table's schema or
     * limits, why ({@code invalid}) and no mutation.
     */
    private record Action(Mutation mutation, long bytes, String invalid) {
    }

    /**
     * DynamoDB validates every action's item or key before any runs, and cancels the transaction
     * at the first that breaks the table's key schema, its indexes' key types or the item size
     * limit: that action's reason is ValidationError, every other action's None (it was not
     * looked at). Errors in the request itself (expressions, names, duplicates) are a
     * ValidationException instead.
     */
    private static DynamoException invalidItem(int actions, int at, String message) {
        List<DynamoException.CancellationReason> reasons = new ArrayList<>(actions);
        for (int i = 0; i < actions; i++) {
            reasons.add(i == at ? new DynamoException.CancellationReason("ValidationError", message, null)
                    : DynamoException.CancellationReason.NONE);
        }
        return DynamoException.transactionCanceled(reasons);
    }

    private Action action(Request action, DuplicateKeys seen) {
        List<String> given = new ArrayList<>();
        for (String kind : List.of("Put", "Update", "Delete", "ConditionCheck")) {
            if (action.has(kind)) {
                given.add(kind);
            }
        }
        if (given.size() != 1) {
            throw DynamoException.validation("TransactItems can only contain one of Check, Put, Update or Delete");
        }
        String kind = given.getFirst();
        Request body = new Request(action.object(kind));
        TableDefinition table = engine.catalog().require(body.tableName());
        ExpressionParams.checkMix(body, "Expected", "ConditionalOperator");
        Placeholders p = ExpressionParams.placeholders(body);
        Update update = kind.equals("Update")
                ? ExpressionParams.update(body.requireString("UpdateExpression"), p, table) : null;
        if (kind.equals("ConditionCheck")) {
            body.requireString("ConditionExpression");
        }
        ExpressionParams.WriteCondition c = ExpressionParams.writeCondition(body, p);
        p.checkAllUsed();
        Item item = body.requireItem(kind.equals("Put") ? "Item" : "Key");
        long bytes = item.size() + (update == null ? 0 : p.bytes());
        Mutation m;
        try {
            m = switch (kind) {
                case "Put" -> Items.putMutation(table, item, c.condition(), c.returnOldOnFailure());
                case "Delete" -> Items.deleteMutation(table, item, c.condition(), c.returnOldOnFailure());
                case "Update" -> Items.updateMutation(table, item, update, c.condition(), c.returnOldOnFailure());
                default -> Items.conditionCheck(table, item, c.condition(), c.returnOldOnFailure());
            };
            if (kind.equals("Put")) {
                IndexEntries.check(table, item);
            }
        } catch (DynamoException e) {
            if (e.code() != ErrorCode.VALIDATION) {
                throw e;
            }
            return new Action(null, bytes, e.getMessage());
        }
        seen.add(m.table(), m.key());
        return new Action(m, bytes, null);
    }

    private static byte[] fingerprint(JsonNode transactItems) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(transactItems.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
