import type { BudgetAccount } from './budget.reader.js';
import { budgetView, decayHoursToExhaustion } from './usage.rules.js';

const now = new Date('2030-01-10T12:00:00Z');
const account = (a: Partial<BudgetAccount>): BudgetAccount => ({
  tenant: 't', gpuHoursBudget: 100, budgetPeriod: 'month', halfLifeHours: null, safeMode: true,
  periodStart: new Date('2030-01-01T00:00:00Z'), periodEnd: new Date('2030-02-01T00:00:00Z'), elapsedHours: 228,
  activeGpus: 0, consumedGpuHours: 0, committedGpuHours: 0, ...a,
});

describe('budget view', () => {
  it('reset periods: burn rate over the elapsed period, and exhaustion only within it', () => {
    const v = budgetView(account({ consumedGpuHours: 57, committedGpuHours: 3 }), now);
    expect(v).toMatchObject({ remainingGpuHours: 40, burnRateGpuHoursPerHour: 0.25, halfLifeHours: null });
    expect(v.exhaustsAt).toEqual(new Date(now.getTime() + 172 * 3600_000)); // 43 left at 0.25/h
    expect(budgetView(account({ consumedGpuHours: 22.8 }), now).exhaustsAt).toBeNull(); // 0.1/h: 772 h, after the period ends
  });

  it('decay: no period, the decayed burn rate, and exhaustion if the GPUs running now keep running', () => {
    const decay = { budgetPeriod: 'decay', halfLifeHours: 24, periodStart: null, periodEnd: null, elapsedHours: 0 };
    const v = budgetView(account({ ...decay, consumedGpuHours: 50, activeGpus: 4 }), now);
    const tau = 24 / Math.LN2; // 4 GPUs tend to 4τ ≈ 138.5 GPU-hours > 100
    expect(v.burnRateGpuHoursPerHour).toBeCloseTo(50 * Math.LN2 / 24, 9);
    expect(v.exhaustsAt!.getTime()).toBeCloseTo(now.getTime() + tau * Math.log((4 * tau - 50) / (4 * tau - 100)) * 3600_000, -1);
    expect(v).toMatchObject({ periodStart: null, periodEnd: null, halfLifeHours: 24 });
    expect(budgetView(account({ ...decay, consumedGpuHours: 50, activeGpus: 2 }), now).exhaustsAt).toBeNull(); // tends to 69 < 100
    expect(budgetView(account({ ...decay, consumedGpuHours: 120 }), now).exhaustsAt).toEqual(now); // spent
  });

  it('decay exhaustion: the closed form agrees with stepping dU/dt = gpus − U ln 2 / h', () => {
    let u = 10;
    let t = 0;
    const dt = 0.001;
    while (u < 60 && t < 1000) {
      u += (4 - (u * Math.LN2) / 12) * dt; // 4 GPUs tend to 69 > 60
      t += dt;
    }
    expect(decayHoursToExhaustion(10, 60, 4, 12)).toBeCloseTo(t, 2);
    expect(decayHoursToExhaustion(10, 60, 0, 12)).toBeNull();
    expect(decayHoursToExhaustion(70, 60, 0, 12)).toBe(0);
  });
});
