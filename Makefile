# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in e-mails point where this server is reached (set BASE_URL to override).
BASE_URL ?= http://$(HOST):$(PORT)
export FLASK_APP := app

.PHONY: run test lint install install-dev clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo ""
	@echo "  Ứng dụng: http://$(HOST):$(PORT)"
	@echo "  Liên kết trong thư nhắc việc dẫn về: $(BASE_URL)"
	@echo "  Tài khoản mẫu (mật khẩu chung: demo1234), theo cơ quan:"
	@echo "  Văn phòng UBND tỉnh Lạng Sơn (LS)"
	@echo "    tinh.admin     quản trị hệ thống, quản trị cài đặt (kết thúc cơ quan)"
	@echo "    tinh.vanphong  chuyên viên Văn phòng"
	@echo "    tinh.lanhdao   lãnh đạo UBND tỉnh (chỉ xem)"
	@echo "    snnmt.truong   giám đốc Sở Nông nghiệp và Môi trường"
	@echo "    stc.truong     giám đốc Sở Tài chính"
	@echo "  Văn phòng HĐND và UBND thành phố Lạng Sơn (TPLS, kết thúc 01/07/2025, nhiệm vụ đang mở đã chuyển giao)"
	@echo "    admin          quản trị hệ thống"
	@echo "    vanphong       chuyên viên Văn phòng"
	@echo "    lanhdao        lãnh đạo UBND (chỉ xem)"
	@echo "    tnmt.truong    trưởng Phòng Tài nguyên và Môi trường"
	@echo "    tnmt.cv        chuyên viên Phòng Tài nguyên và Môi trường"
	@echo "    qldt.truong    trưởng Phòng Quản lý đô thị"
	@echo "  Các phường, xã từ 01/07/2025: tamthanh (TAMTHANH), luongvantri (LUONGVANTRI), kylua (KYLUA),"
	@echo "  dongkinh (DONGKINH), caoloc (CAOLOC), dongdang (DONGDANG); mỗi nơi:"
	@echo "    tamthanh.admin     quản trị hệ thống"
	@echo "    tamthanh.vanphong  chuyên viên Văn phòng HĐND và UBND"
	@echo "    tamthanh.kinhte    trưởng phòng kinh tế (phường: Kinh tế, Hạ tầng và Đô thị)"
	@echo "    tamthanh.vhxh      trưởng Phòng Văn hóa – Xã hội"
	@echo "  Thư nhắc việc (chưa cấu hình SMTP): ghi vào instance/outbox/, xem ở Quản trị → Nhắc việc"
	@echo ""
	@# The scheduler runs beside the web server; its lock keeps a single one active.
	@export BASE_URL="$(BASE_URL)"; \
	  $(BIN)/flask scheduler run & sched=$$!; \
	  trap 'kill $$sched 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask run --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench

# The OpenID Connect tests run a real provider (node's oidc-provider, tests/oidc_provider/):
# its packages are installed from the committed lock file when missing (node and npm needed;
# without them those tests skip, or fail under REQUIRE_NODE=1 as in CI).
OIDC_PROVIDER := tests/oidc_provider

test: lint
	@if [ ! -d $(OIDC_PROVIDER)/node_modules ]; then \
	  if command -v npm >/dev/null 2>&1; then \
	    (cd $(OIDC_PROVIDER) && npm ci --no-audit --no-fund --loglevel=error); \
	  else echo "npm not found: the OpenID Connect tests will be skipped"; fi; \
	fi
	$(BIN)/pytest

# After changing interface texts: refresh the catalogue, translate the new entries in
# app/translations/en/LC_MESSAGES/messages.po, then compile (the .mo file is committed).
translations: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k fast_gettext --ignore-dirs=".*" -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations
	$(BIN)/pybabel compile -d app/translations

clean:
	rm -rf $(VENV) .pytest_cache
