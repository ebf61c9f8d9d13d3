using EvoMerge.Common;

namespace EvoMerge.Evolution.Optimizers;

/// <summary>
/// The serial ask/tell loop behind <see cref="CmaEs.Minimize"/> and <see cref="IpopCmaEs.Minimize"/>:
/// ask, evaluate each genome in order, tell, until the state says it has stopped. A run loop with
/// parallel evaluation calls Ask and Tell itself.
/// </summary>
internal static class AskTellLoop
{
    public static TState Minimize<TState>(
        TState state,
        Func<TState, bool> stopped,
        Func<TState, CmaEsCandidates> ask,
        Func<TState, CmaEsCandidates, IReadOnlyList<double>, TState> tell,
        Func<ValueArray<double>, double> objective
    )
    {
        while (!stopped(state))
        {
            var candidates = ask(state);
            state = tell(state, candidates, candidates.Genomes.Select(objective).ToArray());
        }
        return state;
    }
}
