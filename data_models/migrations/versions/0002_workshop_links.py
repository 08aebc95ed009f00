"""workshop links: per-tenant read-only links for guests (token stored only as SHA-256)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:47:55.243690
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('workshop_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('workshop_links', schema=None) as batch_op:
        batch_op.create_index('ix_workshop_links_tenant', ['tenant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('workshop_links', schema=None) as batch_op:
        batch_op.drop_index('ix_workshop_links_tenant')

    op.drop_table('workshop_links')
