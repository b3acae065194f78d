package io.eden.domain.model;

import static io.eden.domain.model.Phase.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.domain.error.InvalidValueException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PhaseTest {

    /**
     * The expected machine: the forward path pending → ready → replicating → validating → cutting_over
     * → cut_over → completed (validating may go back to replicating, cut_over back to cutting_over when
     * the write percentage is lowered, replicating may skip validation), a rollback from every phase in
     * which traffic may have moved (ready .. cut_over, and failed), rolled_back may start again, and any
     * non-final phase except rolled_back may fail.
     */
    private static final Map<Phase, Set<Phase>> EXPECTED = new EnumMap<>(Phase.class);

    static {
        EXPECTED.put(PENDING, EnumSet.of(READY, FAILED));
        EXPECTED.put(READY, EnumSet.of(REPLICATING, ROLLING_BACK, FAILED));
        EXPECTED.put(REPLICATING, EnumSet.of(VALIDATING, CUTTING_OVER, ROLLING_BACK, FAILED));
        EXPECTED.put(VALIDATING, EnumSet.of(REPLICATING, CUTTING_OVER, ROLLING_BACK, FAILED));
        EXPECTED.put(CUTTING_OVER, EnumSet.of(CUT_OVER, ROLLING_BACK, FAILED));
        EXPECTED.put(CUT_OVER, EnumSet.of(CUTTING_OVER, COMPLETED, ROLLING_BACK, FAILED));
        EXPECTED.put(COMPLETED, EnumSet.noneOf(Phase.class));
        EXPECTED.put(ROLLING_BACK, EnumSet.of(ROLLED_BACK, FAILED));
        EXPECTED.put(ROLLED_BACK, EnumSet.of(REPLICATING));
        EXPECTED.put(FAILED, EnumSet.of(ROLLING_BACK));
    }

    @Test
    void everyPairIsLegalOrIllegalAsExpected() {
        assertEquals(10, Phase.values().length);
        int legal = 0;
        for (Phase from : Phase.values()) {
            for (Phase to : Phase.values()) {
                boolean want = EXPECTED.get(from).contains(to);
                assertEquals(want, from.canMoveTo(to), from + " -> " + to);
                legal += want ? 1 : 0;
            }
            assertEquals(EXPECTED.get(from), from.next(), "next of " + from);
        }
        assertEquals(24, legal);
    }

    @Test
    void noPhaseMovesToItself() {
        for (Phase phase : Phase.values()) {
            assertFalse(phase.canMoveTo(phase), phase.toString());
        }
    }

    @Test
    void completedIsTerminalAndTheOnlyTerminalPhase() {
        assertTrue(COMPLETED.isTerminal());
        assertTrue(COMPLETED.next().isEmpty());
        for (Phase phase : Phase.values()) {
            assertEquals(phase == COMPLETED, phase.isTerminal(), phase.toString());
        }
    }

    @Test
    void theForwardPathIsWalkable() {
        Phase[] path = {PENDING, READY, REPLICATING, VALIDATING, CUTTING_OVER, CUT_OVER, COMPLETED};
        for (int i = 0; i + 1 < path.length; i++) {
            assertTrue(path[i].canMoveTo(path[i + 1]), path[i] + " -> " + path[i + 1]);
        }
    }

    @Test
    void everyPhaseIsReachableFromPending() {
        Set<Phase> seen = EnumSet.of(PENDING);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Phase p : EnumSet.copyOf(seen)) {
                grew |= seen.addAll(p.next());
            }
        }
        assertEquals(EnumSet.allOf(Phase.class), seen);
    }

    @Test
    void activePhases() {
        assertEquals(EnumSet.of(REPLICATING, VALIDATING, CUTTING_OVER, CUT_OVER, COMPLETED),
                EnumSet.copyOf(java.util.Arrays.stream(Phase.values()).filter(Phase::isActive).toList()));
    }

    @Test
    void wireNames() {
        assertEquals("cutting_over", CUTTING_OVER.wireName());
        assertEquals("rolled_back", ROLLED_BACK.wireName());
        for (Phase phase : Phase.values()) {
            assertEquals(phase, Phase.fromWireName("phase", phase.wireName()));
        }
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Phase.fromWireName("phase", "CUT_OVER"));
        assertEquals("phase", e.field());
        assertThrows(InvalidValueException.class, () -> Phase.fromWireName("phase", null));
    }
}
