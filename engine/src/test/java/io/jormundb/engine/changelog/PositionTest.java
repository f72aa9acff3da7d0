package io.jormundb.engine.changelog;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Changelog positions: their order, and the Streams API sequence numbers that name them. */
class PositionTest {
    @Test
    void positionsOrderByVersionThenIndex() {
        List<Position> ordered = List.of(Position.START, new Position(0, 1), new Position(1, 0), new Position(1, 5),
                new Position(2, 0), new Position(Long.MAX_VALUE, Position.MAX_INDEX));
        for (int i = 1; i < ordered.size(); i++) {
            assertTrue(ordered.get(i).isAfter(ordered.get(i - 1)), ordered.get(i) + " after " + ordered.get(i - 1));
        }
        assertEquals(new Position(3, 1), new Position(3, 0).next());
        assertEquals(new Position(4, 0), new Position(3, Position.MAX_INDEX).next());
    }

    @Test
    void previousUndoesNextAndNothingLiesBeforeTheStart() {
        assertEquals(new Position(3, 0), new Position(3, 1).previous());
        assertEquals(new Position(3, Position.MAX_INDEX), new Position(4, 0).previous());
        for (Position p : List.of(new Position(0, 1), new Position(7, 0), new Position(7, 9))) {
            assertEquals(p, p.previous().next());
        }
        assertThrows(IllegalStateException.class, Position.START::previous);
    }

    @Test
    void sequenceNumbersAreTwentyOneOrMoreDigitsOfVersionTimesAMillionPlusIndex() {
        assertEquals("000000000000000000000", Position.START.sequenceNumber());
        assertEquals("000000000000912000003", new Position(912, 3).sequenceNumber());
        assertEquals("000000000000001999999", new Position(1, 999_999).sequenceNumber());
        assertEquals("9223372036854775807999999", new Position(Long.MAX_VALUE, 999_999).sequenceNumber());
    }

    @Test
    void sequenceNumbersNumericOrderIsPositionOrderAndTheyParseBack() {
        Random random = new Random(3);
        List<Position> positions = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            positions.add(new Position(random.nextLong(1L << (1 + random.nextInt(62))), random.nextInt(1_000_000)));
        }
        for (Position p : positions) {
            assertEquals(p, Position.ofSequenceNumber(p.sequenceNumber()));
            Position q = positions.get(random.nextInt(positions.size()));
            assertEquals(Integer.signum(p.compareTo(q)), new BigInteger(p.sequenceNumber()).compareTo(
                    new BigInteger(q.sequenceNumber())), p + " vs " + q);
        }
    }

    @Test
    void textThatIsNoSequenceNumberIsRefused() {
        for (String bad : List.of("", "12", "00000000000000000000", "0000000000000000000000000000000000000000000000",
                "00000000000000000000a", "-00000000000000000001", "99999999999999999999000000")) {
            assertThrows(IllegalArgumentException.class, () -> Position.ofSequenceNumber(bad), bad);
        }
    }
}
