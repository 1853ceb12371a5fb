"""The socket.io channel refuses to start where engine.io would let any web page connect."""

import pytest
import yaml
from socketio import AsyncRedisManager

from addons.socketio_channel import ClinicSocketIOInput
from clinic import settings as settings_module
from clinic.settings import DEFAULT_CLINIC_CONFIG


async def _ignore(message):
    return None


@pytest.mark.parametrize("origins", [[], None])
def test_no_web_origins_refuses_to_start_with_a_clear_message(tmp_path, monkeypatch, origins):
    config = yaml.safe_load(DEFAULT_CLINIC_CONFIG.read_text())
    config["web_origins"] = origins
    (tmp_path / "clinic.yml").write_text(yaml.safe_dump(config))
    monkeypatch.setenv("CLINIC_CONFIG", str(tmp_path / "clinic.yml"))
    monkeypatch.setenv("SESSION_SIGNING_KEY", "test-key")
    settings_module.get_settings.cache_clear()
    try:
        with pytest.raises(ValueError, match="web_origins is empty"):
            ClinicSocketIOInput().blueprint(_ignore)
    finally:
        settings_module.get_settings.cache_clear()


def test_the_clinics_web_origins_are_the_only_ones_allowed(monkeypatch):
    monkeypatch.setenv("SESSION_SIGNING_KEY", "test-key")
    settings_module.get_settings.cache_clear()
    channel = ClinicSocketIOInput()
    channel.blueprint(_ignore)
    assert channel.sio.eio.cors_allowed_origins == settings_module.get_settings().clinic.web_origins


def test_with_redis_set_every_replica_shares_socketio_messages_through_it(monkeypatch):
    monkeypatch.setenv("SESSION_SIGNING_KEY", "test-key")
    monkeypatch.setenv("REDIS_HOST", "redis.internal")
    monkeypatch.setenv("REDIS_PORT", "6390")
    monkeypatch.setenv("REDIS_PASSWORD", "p@ss")
    channel = ClinicSocketIOInput()
    channel.blueprint(_ignore)
    assert isinstance(channel.sio.manager, AsyncRedisManager) and channel.sio.manager.server is channel.sio
    assert channel.sio.manager.redis_url == "redis://:p%40ss@redis.internal:6390/2"


def test_without_redis_the_channel_keeps_its_sockets_in_process(monkeypatch):
    monkeypatch.setenv("SESSION_SIGNING_KEY", "test-key")
    monkeypatch.delenv("REDIS_HOST", raising=False)
    channel = ClinicSocketIOInput()
    channel.blueprint(_ignore)
    assert not isinstance(channel.sio.manager, AsyncRedisManager)
