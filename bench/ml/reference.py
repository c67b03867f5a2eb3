"""Time scikit-learn and PySpark on the benchmark data that bench/ml/pipeline-bench.ts writes.

Usage: reference.py DATA_DIR N sklearn|spark

DATA_DIR contains X-N.f64 (N x 9 float64, row-major), C-N.f64 (20 x 9 initial
centres) and L-N.i32 (cluster of each row). Prints one JSON object:
- sklearn: KMeans(init=C, n_init=1, max_iter=20, tol=0, algorithm="lloyd")
  time and n_iter_, its final centres, and for N <= 20000 the exact
  silhouette_score(X, L) and its time;
- spark: pyspark.mllib KMeans.train(initialModel=C, maxIterations=20,
  epsilon=0) time (including PySpark's hand-over of the cached RDD to the
  JVM), and ClusteringEvaluator (squaredEuclidean) on a cached DataFrame.
Peak memory is the Python process's max RSS plus, for spark, the JVM's
VmHWM read from /proc before the session stops.
"""
import json
import os
import resource
import sys
import time

import numpy as np

D = 9


def load(data_dir, n):
    x = np.fromfile(os.path.join(data_dir, f"X-{n}.f64"), dtype="<f8").reshape(n, D)
    c = np.fromfile(os.path.join(data_dir, f"C-{n}.f64"), dtype="<f8").reshape(-1, D)
    labels = np.fromfile(os.path.join(data_dir, f"L-{n}.i32"), dtype="<i4")
    return x, c, labels


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_sklearn(x, c, labels):
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    started = time.perf_counter()
    model = KMeans(n_clusters=len(c), init=c, n_init=1, max_iter=20, tol=0, algorithm="lloyd").fit(x)
    result = {"kmeansSeconds": time.perf_counter() - started, "numIter": int(model.n_iter_),
              "centers": model.cluster_centers_.tolist(), "inertia": float(model.inertia_)}
    if len(x) <= 20000:
        started = time.perf_counter()
        result["exactSilhouette"] = float(silhouette_score(x, labels))
        result["exactSilhouetteSeconds"] = time.perf_counter() - started
    result["peakMemoryMB"] = rss_mb()
    return result


def jvm_peak_mb(spark):
    pid = spark.sparkContext._gateway.proc.pid
    # spark-submit may run java as a child of a shell; take the largest VmHWM in the process tree.
    peak = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as handle:
                status = dict(line.split(":", 1) for line in handle if ":" in line)
            if int(status.get("PPid", "0").strip()) in (pid, os.getpid()) or int(entry) == pid:
                if "java" in status.get("Name", ""):
                    peak = max(peak, int(status["VmHWM"].split()[0]) / 1024)
        except (OSError, KeyError, ValueError):
            continue
    return peak


def run_spark(x, c, labels):
    import pandas as pd
    from pyspark.ml.evaluation import ClusteringEvaluator
    from pyspark.ml.feature import VectorAssembler
    from pyspark.mllib.clustering import KMeans, KMeansModel
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("grooviest-bench")
             .config("spark.driver.memory", "8g")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    columns = [f"f{j}" for j in range(D)]
    frame = pd.DataFrame(x, columns=columns)
    frame["prediction"] = labels
    df = VectorAssembler(inputCols=columns, outputCol="features").transform(spark.createDataFrame(frame).repartition(2))
    df = df.select("features", "prediction").cache()
    df.count()

    rdd = df.rdd.map(lambda row: row.features.toArray()).cache()
    rdd.count()
    started = time.perf_counter()
    model = KMeans.train(rdd, len(c), maxIterations=20, initialModel=KMeansModel(c), epsilon=0.0)
    kmeans_seconds = time.perf_counter() - started
    centers = np.array(model.clusterCenters)

    started = time.perf_counter()
    silhouette = ClusteringEvaluator().evaluate(df)
    silhouette_seconds = time.perf_counter() - started
    result = {"kmeansSeconds": kmeans_seconds, "centers": centers.tolist(), "silhouette": silhouette,
              "silhouetteSeconds": silhouette_seconds, "pythonPeakMemoryMB": rss_mb(), "jvmPeakMemoryMB": jvm_peak_mb(spark)}
    result["peakMemoryMB"] = result["pythonPeakMemoryMB"] + result["jvmPeakMemoryMB"]
    spark.stop()
    return result


def main():
    data_dir, n, tool = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    x, c, labels = load(data_dir, n)
    result = run_sklearn(x, c, labels) if tool == "sklearn" else run_spark(x, c, labels)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
