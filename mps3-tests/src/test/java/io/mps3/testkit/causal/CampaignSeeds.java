package io.mps3.testkit.causal;

import java.util.ArrayList;
import java.util.List;

/**
 * The seeds a campaign runs: {@code -Dmps3.campaign.seed=S} replays one, {@code
 * -Dmps3.campaign.seeds=N} runs 1..N, and otherwise 1..{@code ciDefault}.
 */
public final class CampaignSeeds {

  private CampaignSeeds() {}

  /** The seeds to run. */
  public static List<Long> seeds(int ciDefault) {
    Long one = Long.getLong("mps3.campaign.seed");
    if (one != null) {
      return List.of(one);
    }
    int n = Integer.getInteger("mps3.campaign.seeds", ciDefault);
    List<Long> seeds = new ArrayList<>();
    for (long s = 1; s <= n; s++) {
      seeds.add(s);
    }
    return seeds;
  }
}
