using EvoMerge.Common;
using EvoMerge.Common.Random;
using EvoMerge.Evolution.Optimizers;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// The state saved after every completed generation (optimizer.json): enough to continue exactly.
/// The log has exactly <see cref="LogLines"/> lines at that moment; a resumed run truncates it back.
/// </summary>
public sealed record RunCheckpoint(
    int Generation,
    long Evaluations,
    CmaEsState? Cma,
    Nsga2State? Nsga2,
    RngState Rng,
    int LogLines,
    ValueArray<double>? BestGenome,
    double BestFitness,
    double Seconds
)
{
    public Search ToSearch() =>
        Cma is not null ? new CmaSearch(Cma, null)
        : Nsga2 is not null ? new Nsga2Search(Nsga2, null)
        : throw new InvalidOperationException("checkpoint holds no optimizer state");

    public static RunCheckpoint From(
        Search search,
        RngState rng,
        int logLines,
        ValueArray<double>? bestGenome,
        double bestFitness,
        double seconds
    ) =>
        new(
            search.Generation,
            search.Evaluations,
            (search as CmaSearch)?.State,
            (search as Nsga2Search)?.State,
            rng,
            logLines,
            bestGenome,
            bestFitness,
            seconds
        );
}
