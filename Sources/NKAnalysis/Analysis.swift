import NKEngine

// The analysis layer: lifecycle, Pareto/ABC, RFM, contribution margin, personas, lookalikes,
// compare and why-not, built on engine operations. It grows with the analysis verbs.

