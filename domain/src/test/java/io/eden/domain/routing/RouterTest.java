package io.eden.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.domain.model.Phase;
import io.eden.domain.model.Strategy;
import io.eden.domain.model.WriteMode;
import io.eden.domain.model.WritePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Router.decide against an oracle written here from the rules (Router javadoc and
 * ARCHITECTURE.md "lanes"), for every phase, write mode, copy state, read percentage and slot.
 */
class RouterTest {
    private static final int SLOTS = 16384;

    /** Percentage -> floor(p x 16384), worked out by hand so the oracle does not reuse HashSlot.boundary. */
    private static final Map<Double, Integer> READ_BOUNDS = new LinkedHashMap<>();
    private static final Map<Double, Integer> WRITE_BOUNDS = new LinkedHashMap<>();

    static {
        READ_BOUNDS.put(0.0, 0);
        READ_BOUNDS.put(0.05, 819);      // 819.2
        READ_BOUNDS.put(0.25, 4096);
        READ_BOUNDS.put(0.75, 12288);
        READ_BOUNDS.put(1.0, 16384);
        WRITE_BOUNDS.put(0.0, 0);
        WRITE_BOUNDS.put(0.05, 819);
        WRITE_BOUNDS.put(1.0 / 3.0, 5461); // 5461.33
        WRITE_BOUNDS.put(0.5, 8192);
        WRITE_BOUNDS.put(0.999, 16367);  // 16367.616
        WRITE_BOUNDS.put(1.0, 16384);
    }

    private record Expected(Side read, Side write, Optional<Side> mirror, boolean eitherSuffices) {
    }

    private static List<WriteMode> writeModes() {
        List<WriteMode> modes = new ArrayList<>();
        for (WritePolicy policy : WritePolicy.values()) {
            modes.add(new WriteMode.DualWrite(policy));
        }
        for (double wp : WRITE_BOUNDS.keySet()) {
            modes.add(new WriteMode.Cutover(wp));
        }
        return modes;
    }

    private static final Optional<Side> TO_SOURCE = Optional.of(Side.SOURCE);
    private static final Optional<Side> TO_TARGET = Optional.of(Side.TARGET);

    /**
     * The oracle, written from the rules, not from Router. {@code readBound} and {@code writeBound}
     * are floor(percentage x 16384) of the read and (cutover) write percentages.
     */
    private static Expected expected(Phase phase, WriteMode mode, boolean copyComplete, int readBound,
                                     int writeBound, int slot) {
        switch (phase) {
            case COMPLETED:
                return new Expected(Side.TARGET, Side.TARGET, Optional.empty(), false);
            case PENDING:
            case READY:
            case ROLLING_BACK:
            case ROLLED_BACK:
            case FAILED:
                return new Expected(Side.SOURCE, Side.SOURCE, Optional.empty(), false);
            default:
                break;
        }
        // replicating, validating, cutting_over, cut_over
        Side read = copyComplete && slot < readBound ? Side.TARGET : Side.SOURCE;
        if (mode instanceof WriteMode.DualWrite dual) {
            switch (dual.policy()) {
                case OLD_AUTHORITATIVE:
                    return new Expected(read, Side.SOURCE, TO_TARGET, false);
                case NEW_AUTHORITATIVE:
                    return new Expected(read, Side.TARGET, TO_SOURCE, false);
                case BEST_EFFORT:
                    return new Expected(read, Side.SOURCE, TO_TARGET, true);
                default:
                    throw new AssertionError(dual.policy());
            }
        }
        assert mode instanceof WriteMode.Cutover;
        if (slot < writeBound) {
            return new Expected(read, Side.TARGET, TO_SOURCE, false);
        }
        return new Expected(read, Side.SOURCE, TO_TARGET, false);
    }

    @ParameterizedTest
    @EnumSource(Phase.class)
    void everyDecisionMatchesTheOracle(Phase phase) {
        long checked = 0;
        for (WriteMode mode : writeModes()) {
            for (boolean copyComplete : new boolean[] {false, true}) {
                for (double readPct : READ_BOUNDS.keySet()) {
                    RoutingState state = new RoutingState(phase, new Strategy.Canary(readPct, mode), copyComplete);
                    int readBound = READ_BOUNDS.get(readPct);
                    int writeBound = mode instanceof WriteMode.Cutover c ? WRITE_BOUNDS.get(c.writePercentage()) : -1;
                    for (int slot = 0; slot < SLOTS; slot++) {
                        RouteDecision actual = Router.decide(state, slot);
                        Expected want = expected(phase, mode, copyComplete, readBound, writeBound, slot);
                        if (actual.read() != want.read() || actual.write() != want.write()
                                || !actual.mirror().equals(want.mirror())
                                || actual.eitherSuffices() != want.eitherSuffices()) {
                            throw new AssertionError("phase=" + phase + " mode=" + mode + " copyComplete="
                                    + copyComplete + " read%=" + readPct + " slot=" + slot + ": expected " + want
                                    + " but was " + actual);
                        }
                        if (actual.mirror().isPresent() && actual.mirror().get() == actual.write()) {
                            throw new AssertionError("mirror equals write side at slot " + slot + ": " + actual);
                        }
                        checked++;
                    }
                }
            }
        }
        assertEquals((long) writeModes().size() * 2 * READ_BOUNDS.size() * SLOTS, checked);
    }

    @Test
    void slotCountsOnTargetAreExactlyTheFloorOfThePercentage() {
        for (Map.Entry<Double, Integer> e : READ_BOUNDS.entrySet()) {
            RoutingState state = new RoutingState(Phase.REPLICATING,
                    new Strategy.Canary(e.getKey(), new WriteMode.DualWrite(WritePolicy.OLD_AUTHORITATIVE)), true);
            int reads = 0;
            for (int slot = 0; slot < SLOTS; slot++) {
                reads += Router.decide(state, slot).read() == Side.TARGET ? 1 : 0;
            }
            assertEquals(e.getValue(), reads, "read% " + e.getKey());
        }
        for (Map.Entry<Double, Integer> e : WRITE_BOUNDS.entrySet()) {
            RoutingState state = new RoutingState(Phase.CUTTING_OVER,
                    new Strategy.Canary(0.0, new WriteMode.Cutover(e.getKey())), true);
            int writes = 0;
            int mirroredToSource = 0;
            for (int slot = 0; slot < SLOTS; slot++) {
                RouteDecision d = Router.decide(state, slot);
                writes += d.write() == Side.TARGET ? 1 : 0;
                mirroredToSource += d.mirror().orElseThrow() == Side.SOURCE ? 1 : 0;
            }
            assertEquals(e.getValue(), writes, "write% " + e.getKey());
            assertEquals(e.getValue(), mirroredToSource, "write% " + e.getKey());
        }
    }

    @Test
    void readsStayOnTheSourceUntilTheCopyIsComplete() {
        RoutingState state = new RoutingState(Phase.VALIDATING,
                new Strategy.Canary(1.0, new WriteMode.DualWrite(WritePolicy.NEW_AUTHORITATIVE)), false);
        for (int slot = 0; slot < SLOTS; slot++) {
            assertEquals(Side.SOURCE, Router.decide(state, slot).read());
            assertEquals(Side.TARGET, Router.decide(state, slot).write());
        }
    }

    @Test
    void raisingThePercentageNeverMovesASlotBackToTheSource() {
        Random random = new Random(20240611L);
        Phase[] phases = {Phase.REPLICATING, Phase.VALIDATING, Phase.CUTTING_OVER, Phase.CUT_OVER};
        for (int round = 0; round < 80; round++) {
            double a = random.nextDouble();
            double b = random.nextDouble();
            double low = Math.min(a, b);
            double high = Math.max(a, b);
            Phase phase = phases[random.nextInt(phases.length)];
            RoutingState readLow = new RoutingState(phase,
                    new Strategy.Canary(low, new WriteMode.Cutover(low)), true);
            RoutingState readHigh = new RoutingState(phase,
                    new Strategy.Canary(high, new WriteMode.Cutover(high)), true);
            int lowCount = 0;
            int highCount = 0;
            for (int slot = 0; slot < SLOTS; slot++) {
                RouteDecision before = Router.decide(readLow, slot);
                RouteDecision after = Router.decide(readHigh, slot);
                if (before.read() == Side.TARGET) {
                    assertEquals(Side.TARGET, after.read(), "read slot " + slot + " went back: " + low + " -> " + high);
                }
                if (before.write() == Side.TARGET) {
                    assertEquals(Side.TARGET, after.write(), "write slot " + slot + " went back: " + low + " -> " + high);
                }
                lowCount += before.read() == Side.TARGET ? 1 : 0;
                highCount += after.read() == Side.TARGET ? 1 : 0;
            }
            assertTrue(lowCount <= highCount);
            assertEquals((int) Math.floor(low * SLOTS), lowCount);
            assertEquals((int) Math.floor(high * SLOTS), highCount);
        }
    }

    @Test
    void theTargetSlotsArePrefixesOfTheSlotSpace() {
        Random random = new Random(7L);
        for (int round = 0; round < 40; round++) {
            double p = random.nextDouble();
            RoutingState state = new RoutingState(Phase.REPLICATING,
                    new Strategy.Canary(p, new WriteMode.DualWrite(WritePolicy.BEST_EFFORT)), true);
            boolean seenSource = false;
            for (int slot = 0; slot < SLOTS; slot++) {
                Side read = Router.decide(state, slot).read();
                if (read == Side.SOURCE) {
                    seenSource = true;
                } else {
                    assertFalse(seenSource, "slot " + slot + " reads from target after a source slot at " + p);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 16384, 16385, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void outOfRangeSlotsAreRefused(int slot) {
        for (Phase phase : Phase.values()) {
            RoutingState state = new RoutingState(phase,
                    new Strategy.Canary(0.5, new WriteMode.DualWrite(WritePolicy.OLD_AUTHORITATIVE)), true);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Router.decide(state, slot));
            assertTrue(e.getMessage().contains(Integer.toString(slot)), e.getMessage());
        }
    }

    @Test
    void aDecisionCannotMirrorToItsWriteSide() {
        assertThrows(IllegalArgumentException.class,
                () -> new RouteDecision(Side.SOURCE, Side.TARGET, Optional.of(Side.TARGET), false));
        assertThrows(IllegalArgumentException.class,
                () -> new RouteDecision(Side.TARGET, Side.SOURCE, Optional.of(Side.SOURCE), true));
        assertEquals(Side.SOURCE, RouteDecision.SOURCE_ONLY.read());
        assertEquals(Optional.empty(), RouteDecision.TARGET_ONLY.mirror());
    }

    @Test
    void sideOtherIsAnInvolution() {
        assertEquals(Side.TARGET, Side.SOURCE.other());
        assertEquals(Side.SOURCE, Side.TARGET.other());
    }

    @Test
    void routingStateRequiresPhaseAndStrategy() {
        Strategy s = new Strategy.Canary(0, new WriteMode.DualWrite(WritePolicy.OLD_AUTHORITATIVE));
        assertThrows(NullPointerException.class, () -> new RoutingState(null, s, true));
        assertThrows(NullPointerException.class, () -> new RoutingState(Phase.READY, null, true));
    }
}
