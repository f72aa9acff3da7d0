package io.jormundb.engine.index;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.catalog.TimeToLive;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * An item's entry in its table's TTL index: present when the table has TTL and the item's TTL
 * attribute is an N (epoch seconds, fractions allowed) whose whole seconds fit a long; items
 * whose attribute is absent or of another type never expire, as in DynamoDB. The entry is keyed
 * by the floor of the value, so everything due before second {@code s} is one key range.
 * Thread-safe.
 */
public final class TtlEntries {
    private TtlEntries() {
    }

    /** The TTL entry key of {@code item} (under {@code itemKey}) in {@code table}, or {@code null}. */
    public static Bytes entry(TableDefinition table, Item item, byte[] itemKey) {
        TimeToLive ttl = table.timeToLive();
        if (ttl == null || item == null) {
            return null;
        }
        Long second = expirySecond(item, ttl.attributeName());
        return second == null ? null : Bytes.wrap(Keys.ttlEntry(table.id(), second, itemKey));
    }

    /** The whole epoch second at or before the expiry {@code item} holds in {@code attribute}, or {@code null}. */
    public static Long expirySecond(Item item, String attribute) {
        if (!(item.get(attribute) instanceof AttributeValue.N n)) {
            return null;
        }
        BigInteger floor = n.value().setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        return floor.bitLength() < Long.SIZE ? floor.longValue() : null;
    }

    /**
     * How far in the past an expiry may lie and still expire its item: DynamoDB leaves an item
     * whose TTL value is more than five years old (most likely a value in another unit, or not a
     * time at all: {@code 0} meaning "never").
     */
    public static final long MAX_AGE_SECONDS = 5L * 365 * 24 * 3600;

    /**
     * Whether {@code item}'s TTL attribute holds an expiry before {@code nowMillis} (epoch ms), and
     * not more than {@link #MAX_AGE_SECONDS} before it.
     */
    public static boolean expired(Item item, String attribute, long nowMillis) {
        return item.get(attribute) instanceof AttributeValue.N n
                && n.value().compareTo(BigDecimal.valueOf(nowMillis, 3)) < 0
                && n.value().compareTo(BigDecimal.valueOf(Math.floorDiv(nowMillis, 1000) - MAX_AGE_SECONDS)) >= 0;
    }
}
