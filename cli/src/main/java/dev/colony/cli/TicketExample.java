package dev.colony.cli;

import dev.colony.cli.demo.SellTickets;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyList;
import dev.colony.client.Pool;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ticket grabbing under one shared Lock: seller tasks on the workers and seller threads here with
 * clients of their own race for the same tickets; the check is that every ticket is sold exactly
 * once.
 */
final class TicketExample implements DemoExample {
  private static final int LOCAL_SELLERS = 2;

  private final int tickets;
  private final int taskSellers;
  private final String prefix;
  private final Supplier<ColonyClient> newClient;

  TicketExample(int tickets, int taskSellers, String prefix, Supplier<ColonyClient> newClient) {
    this.tickets = tickets;
    this.taskSellers = taskSellers;
    this.prefix = prefix;
    this.newClient = newClient;
  }

  @Override
  public String title() {
    return "Ticket grabbing: "
        + (taskSellers + LOCAL_SELLERS)
        + " sellers, "
        + tickets
        + " tickets, one shared Lock";
  }

  @Override
  public Result run(ColonyClient colony, PrintWriter out) throws Exception {
    colony.atomicLong(prefix + "tickets").set(tickets);
    ColonyList<String> sold = colony.list(prefix + "sold", String.class);
    sold.clear();

    List<CompletableFuture<Integer>> sellers = new ArrayList<>();
    try (Pool pool = colony.pool()) {
      for (int i = 0; i < taskSellers; i++) {
        sellers.add(pool.applyAsync(SellTickets.class, prefix));
      }
      for (int i = 1; i <= LOCAL_SELLERS; i++) {
        String seller = "local seller " + i;
        sellers.add(CompletableFuture.supplyAsync(() -> sellWithOwnClient(seller)));
      }
      CompletableFuture.allOf(sellers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    }

    List<Integer> perSeller = new ArrayList<>();
    int total = 0;
    for (CompletableFuture<Integer> seller : sellers) {
      perSeller.add(seller.join());
      total += seller.join();
    }
    List<String> sales = new ArrayList<>(sold);
    long left = colony.atomicLong(prefix + "tickets").get();
    long distinct =
        sales.stream().map(s -> s.substring(0, s.indexOf(" sold by"))).distinct().count();
    out.println("  sold per seller: " + perSeller + "; tickets left: " + left);
    boolean passed =
        total == tickets && sales.size() == tickets && distinct == tickets && left == 0;
    return new Result(
        passed,
        passed
            ? "all " + tickets + " tickets sold, each exactly once"
            : "sold "
                + total
                + " ("
                + distinct
                + " distinct) of "
                + tickets
                + ", "
                + left
                + " left");
  }

  private int sellWithOwnClient(String seller) {
    try (ColonyClient own = newClient.get()) {
      return SellTickets.sell(own, prefix, seller);
    }
  }
}
