"""The clustering workflow with the original tools, for the side-by-side benchmark.

PySpark 4.1 in local mode, Hyperopt 0.2.7 TPE and MLflow, step by step as
docs/workflow.md describes it: read the tracks, run the three exploration
queries, search k in 3..19 with `fmin` + `tpe.suggest` (10 evaluations)
over a 3-fold CrossValidator of VectorAssembler -> StandardScaler ->
KMeans(seed=42) scored by ClusteringEvaluator, log a parent run `k_means`
with one child run per trial, fit the best k on all tracks, log `k_value`,
the silhouette and the model.

Prints one JSON document on stdout: phase timings (ms), best k, final
silhouette, the k of every trial. Run it with PYTHONHASHSEED=0.

    python reference_workflow.py --input FILE [--tracking-uri URI]
        [--experiment NAME] [--out-dir DIR] [--export-predictions CSV]
"""

import time

STARTED = time.perf_counter()

import argparse
import json
import os
import sys

import numpy as np
import mlflow
import pyspark
import hyperopt
from hyperopt import STATUS_OK, Trials, fmin, hp, tpe
from pyspark.ml import Pipeline
from pyspark.ml.clustering import KMeans
from pyspark.ml.evaluation import ClusteringEvaluator
from pyspark.ml.feature import StandardScaler, VectorAssembler
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

FEATURES = ['acousticness', 'danceability', 'energy', 'instrumentalness', 'liveness',
            'loudness', 'speechiness', 'tempo', 'valence']

# Column names of the two shared files, mapped to the workflow's names.
ARTIST_COLUMNS = ['artist', 'artist_name', 'track_artist']
NAME_COLUMNS = ['name', 'track_name']
ID_COLUMNS = ['id', 'track_id', 'track_uri']


def elapsed_ms(start):
    return round((time.perf_counter() - start) * 1000)


def first_present(columns, candidates):
    for name in candidates:
        if name in columns:
            return name
    raise SystemExit(f'none of the columns {candidates} is in the input (columns: {columns})')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--input', required=True, help='CSV file, plain or .gz')
    parser.add_argument('--encoding', default=None, help='file encoding (default: windows-1252 for the spotifyr file, else UTF-8)')
    parser.add_argument('--tracking-uri', default=os.environ.get('MLFLOW_TRACKING_URI'))
    parser.add_argument('--experiment', default='Default')
    parser.add_argument('--run-name', default='k_means')
    parser.add_argument('--seed', type=int, default=42, help='seed of the search and of the CrossValidator folds')
    parser.add_argument('--kmeans-seed', type=int, default=42)
    parser.add_argument('--max-evals', type=int, default=10)
    parser.add_argument('--master', default='local[2]')
    parser.add_argument('--partitions', type=int, default=2)
    parser.add_argument('--out-dir', default=None, help='folder for the saved model and predictions (default: a temporary folder)')
    parser.add_argument('--export-predictions', default=None, help='CSV of the final scaled features and predictions, for the agreement check')
    return parser.parse_args()


def main():
    args = parse_args()
    timings = {'imports': elapsed_ms(STARTED)}
    out_dir = args.out_dir or os.path.join(os.environ.get('TMPDIR', '/tmp'), f'reference-workflow-{os.getpid()}')
    os.makedirs(out_dir, exist_ok=True)

    # Spark session (JVM start-up).
    started = time.perf_counter()
    spark = (SparkSession.builder.master(args.master).appName('reference-workflow')
             .config('spark.sql.shuffle.partitions', str(args.partitions))
             .config('spark.default.parallelism', str(args.partitions))
             .config('spark.ui.enabled', 'false')
             .config('spark.ui.showConsoleProgress', 'false')
             .config('spark.driver.memory', '2g')
             # Spark 4 accepts only a few charsets unless the Java ones are enabled (windows-1252 is one).
             .config('spark.sql.legacy.javaCharsets', 'true')
             .getOrCreate())
    spark.sparkContext.setLogLevel('ERROR')
    timings['startup'] = elapsed_ms(started)

    # Load: Spark's CSV reader with the file's encoding; R and pandas double quotes inside quoted fields.
    started = time.perf_counter()
    encoding = args.encoding or ('windows-1252' if 'discographies' in os.path.basename(args.input) else 'UTF-8')
    raw = (spark.read.option('header', True).option('inferSchema', True).option('encoding', encoding)
           .option('quote', '"').option('escape', '"').option('multiLine', True).csv(args.input))
    artist = first_present(raw.columns, ARTIST_COLUMNS)
    name = first_present(raw.columns, NAME_COLUMNS)
    track_id = first_present(raw.columns, ID_COLUMNS)
    tracks = raw.select(F.col(track_id).alias('id'), F.col(name).alias('name'), F.col(artist).alias('artist'),
                        F.col('duration_ms').cast('double').alias('duration_ms'),
                        *[F.col(column).cast('double').alias(column) for column in FEATURES])
    tracks = tracks.repartition(args.partitions).cache()
    rows = tracks.count()
    timings['load'] = elapsed_ms(started)

    # Explore: the three queries of the workflow document.
    started = time.perf_counter()
    biggest = tracks.groupBy('artist').count().orderBy(F.desc('count'), 'artist').first()['artist']
    tracks.filter(F.col('artist') == biggest).orderBy(F.desc('acousticness')).limit(20).collect()
    tracks.groupBy('artist').agg(*[F.avg(column).alias(column) for column in FEATURES],
                                 (F.avg('duration_ms') / 60 / 1000).alias('duration_min')).collect()
    window = Window.partitionBy('artist').orderBy(F.desc('danceability'))
    tracks.withColumn('rank', F.rank().over(window)).filter(F.col('rank') <= 3).collect()
    timings['explore'] = elapsed_ms(started)

    # Tracking target.
    started = time.perf_counter()
    if args.tracking_uri:
        mlflow.set_tracking_uri(args.tracking_uri)
    else:
        mlflow.set_tracking_uri('sqlite:///' + os.path.join(out_dir, 'mlflow.db'))
    mlflow.set_experiment(args.experiment)
    parent = mlflow.start_run(run_name=args.run_name)
    mlflow.log_params({'max_evals': args.max_evals, 'num_folds': 3, 'seed': args.seed, 'kmeans_seed': args.kmeans_seed})
    timings['tracking'] = elapsed_ms(started)

    assembler = VectorAssembler(inputCols=FEATURES, outputCol='features')
    scaler = StandardScaler(inputCol='features', outputCol='scaled_features', withMean=True, withStd=True)
    evaluator = ClusteringEvaluator(featuresCol='scaled_features', predictionCol='prediction')

    def objective(k_value):
        k = int(k_value)
        with mlflow.start_run(run_name=f'k={k}', nested=True):
            kmeans = KMeans(featuresCol='scaled_features', predictionCol='prediction', seed=args.kmeans_seed)
            pipeline = Pipeline(stages=[assembler, scaler, kmeans])
            grid = ParamGridBuilder().addGrid(kmeans.k, [k]).build()
            validator = CrossValidator(estimator=pipeline, estimatorParamMaps=grid, evaluator=evaluator,
                                       numFolds=3, seed=args.seed)
            silhouette = validator.fit(tracks).avgMetrics[0]
            mlflow.log_param('k_value', k)
            mlflow.log_metrics({'silhouette': silhouette, 'loss': -silhouette})
        return {'loss': -silhouette, 'status': STATUS_OK, 'k': k, 'silhouette': silhouette}

    # Search.
    started = time.perf_counter()
    trials = Trials()
    best = fmin(objective, space=hp.randint('k_value', 3, 20), algo=tpe.suggest, max_evals=args.max_evals,
                trials=trials, rstate=np.random.default_rng(args.seed), show_progressbar=False)
    best_k = int(best['k_value'])
    timings['search'] = elapsed_ms(started)

    # Final fit on all tracks.
    started = time.perf_counter()
    kmeans = KMeans(featuresCol='scaled_features', predictionCol='prediction', seed=args.kmeans_seed, k=best_k)
    model = Pipeline(stages=[assembler, scaler, kmeans]).fit(tracks)
    predictions = model.transform(tracks).cache()
    final_silhouette = evaluator.evaluate(predictions)
    timings['final_fit'] = elapsed_ms(started)

    # Outputs: the model and the predictions.
    started = time.perf_counter()
    model_dir = os.path.join(out_dir, 'model')
    predictions_dir = os.path.join(out_dir, 'predictions.parquet')
    model.write().overwrite().save(model_dir)
    predictions.select('id', 'artist', 'name', F.col('prediction').alias('cluster')).write.mode('overwrite').parquet(predictions_dir)
    timings['outputs'] = elapsed_ms(started)

    # Tracking of the result.
    started = time.perf_counter()
    mlflow.log_param('k_value', best_k)
    mlflow.log_metrics({'silouhette': final_silhouette, 'silhouette': final_silhouette})
    mlflow.log_artifacts(model_dir, 'model')
    mlflow.log_artifacts(predictions_dir, 'predictions.parquet')
    mlflow.end_run()
    timings['tracking'] += elapsed_ms(started)

    if args.export_predictions:
        exported = predictions.select('scaled_features', 'prediction').toPandas()
        matrix = np.array([vector.toArray() for vector in exported['scaled_features']])
        with open(args.export_predictions, 'w') as handle:
            handle.write(','.join(FEATURES + ['prediction']) + '\n')
            for row, label in zip(matrix, exported['prediction']):
                handle.write(','.join(repr(float(value)) for value in row) + f',{int(label)}\n')

    results = [trial['result'] for trial in trials.trials]
    json.dump({
        'best_k': best_k,
        'final_silhouette': final_silhouette,
        'k_tried': [result['k'] for result in results],
        'trials': [{'k': result['k'], 'silhouette': result['silhouette']} for result in results],
        'rows': rows,
        'parent_run_id': parent.info.run_id,
        'timings_ms': timings,
        'versions': {'pyspark': pyspark.__version__, 'hyperopt': hyperopt.__version__, 'mlflow': mlflow.__version__,
                     'python': sys.version.split()[0]},
    }, sys.stdout)
    sys.stdout.write('\n')
    spark.stop()


if __name__ == '__main__':
    main()
