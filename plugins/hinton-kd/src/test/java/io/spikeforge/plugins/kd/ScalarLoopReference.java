package io.spikeforge.plugins.kd;

/**
 * Hinton KD written independently of ND4J with plain loops over rows and classes, as the
 * reference the plugin's vectorized implementation is checked against.
 */
final class ScalarLoopReference {
    private ScalarLoopReference() {
    }

    /** Batch-mean softmax cross-entropy. */
    static double crossEntropy(double[][] student, int[] labels) {
        double total = 0;
        for (int b = 0; b < student.length; b++) {
            total -= logSoftmax(student[b], 1.0)[labels[b]];
        }
        return total / student.length;
    }

    /** Batch-mean KL(softmax(teacher / T) || softmax(student / T)), without the T^2 factor. */
    static double divergence(double[][] student, double[][] teacher, double temperature) {
        double total = 0;
        for (int b = 0; b < student.length; b++) {
            double[] logQ = logSoftmax(student[b], temperature);
            double[] logP = logSoftmax(teacher[b], temperature);
            for (int k = 0; k < logP.length; k++) {
                total += Math.exp(logP[k]) * (logP[k] - logQ[k]);
            }
        }
        return total / student.length;
    }

    /** dL/ds of {@code ceWeight * CE + kdWeight * T^2 * KL}. */
    static double[][] gradient(double[][] student, double[][] teacher, int[] labels, double temperature,
                               double ceWeight, double kdWeight) {
        int batch = student.length;
        double[][] gradient = new double[batch][];
        for (int b = 0; b < batch; b++) {
            double[] logProbs = logSoftmax(student[b], 1.0);
            double[] logQ = logSoftmax(student[b], temperature);
            double[] logP = logSoftmax(teacher[b], temperature);
            gradient[b] = new double[logProbs.length];
            for (int k = 0; k < logProbs.length; k++) {
                double ce = Math.exp(logProbs[k]) - (k == labels[b] ? 1 : 0);
                double kd = temperature * (Math.exp(logQ[k]) - Math.exp(logP[k]));
                gradient[b][k] = (ceWeight * ce + kdWeight * kd) / batch;
            }
        }
        return gradient;
    }

    private static double[] logSoftmax(double[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double logit : logits) {
            max = Math.max(max, logit / temperature);
        }
        double sum = 0;
        for (double logit : logits) {
            sum += Math.exp(logit / temperature - max);
        }
        double logSum = Math.log(sum);
        double[] out = new double[logits.length];
        for (int k = 0; k < logits.length; k++) {
            out[k] = logits[k] / temperature - max - logSum;
        }
        return out;
    }
}
