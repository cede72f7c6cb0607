"""Multi-process training: the same ``stancekit train`` under ``torchrun`` and ``accelerate launch``.

Two real processes on CPU (gloo), the tiny base model, 64 dev sentences, one epoch. Only rank 0
writes the output folder (atomically); the folder loads and predicts.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TINY

BATCH = 16
N_SENTENCES = 64


def _stancekit_command(tmp_path: Path) -> list[str]:
    """The ``stancekit`` console script next to this Python, else a two-line stand-in."""
    script = shutil.which("stancekit", path=str(Path(sys.executable).parent)) or shutil.which("stancekit")
    if script:
        return [script]
    runner = tmp_path / "stancekit_main.py"
    runner.write_text("from stancekit.cli.app import main\n\nmain()\n", encoding="utf-8")
    return [sys.executable, str(runner)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_PORT"}}
    env.update(OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", CUDA_VISIBLE_DEVICES="")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _data(tmp_path: Path) -> Path:
    lines = (ROOT / "training/data/dev.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "small.jsonl"
    path.write_text("".join(lines[:N_SENTENCES]), encoding="utf-8")
    return path


def _train_args(data: Path, out: Path) -> list[str]:
    return [
        "train",
        "--data",
        str(data),
        "--dev",
        str(data),
        "--output",
        str(out),
        "--base-model",
        str(TINY),
        "--epochs",
        "1",
        "--batch-size",
        str(BATCH),
        "--no-progress",
    ]


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    return proc


def _check_model(out: Path) -> dict:
    from stancekit.modeling import StanceModel

    # rank 0 alone wrote the folder, atomically: no partial or stale siblings are left behind
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    assert leftovers == []
    assert not Path(f"{out}.checkpoints").exists()
    assert {"config.json", "model.safetensors", "README.md"} <= {p.name for p in out.iterdir()}
    model = StanceModel.from_pretrained(out)
    predicted = model.predict(["Lavrov urged Kyiv to return to talks.", "He criticised Paris."])
    assert len(predicted) == 2
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["training"]["train_sentences"] == N_SENTENCES
    assert "calibration_report" in config  # calibrated once, on rank 0
    return config


def test_torchrun_two_processes(tmp_path):
    out = tmp_path / "model"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "--no-python"]
    proc = _run([*cmd, *_stancekit_command(tmp_path), *_train_args(_data(tmp_path), out)], tmp_path)
    assert proc.stdout.count(f"saved {out}") == 2  # both ranks finished
    config = _check_model(out)
    # 64 sentences, 16 per process and step: 2 optimizer steps per epoch with 2 processes (4 with one)
    assert config["training"]["dev_history"][-1]["step"] == N_SENTENCES // (2 * BATCH)


def test_accelerate_launch_two_processes(tmp_path):
    pytest.importorskip("accelerate")
    out = tmp_path / "model"
    # on CPU, accelerate's --cpu launcher needs MPI; --multi_gpu starts torchrun workers, which run on CPU (gloo)
    cmd = [
        sys.executable,
        "-m",
        "accelerate.commands.launch",
        "--multi_gpu",
        "--num_processes",
        "2",
        "--num_machines",
        "1",
        "--mixed_precision",
        "no",
        "--dynamo_backend",
        "no",
        "--main_process_port",
        str(_free_port()),
        "--no_python",
    ]
    _run([*cmd, *_stancekit_command(tmp_path), *_train_args(_data(tmp_path), out)], tmp_path)
    config = _check_model(out)
    assert config["training"]["dev_history"][-1]["step"] == N_SENTENCES // (2 * BATCH)
